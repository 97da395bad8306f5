namespace WabaHooks.Hosting.Sinks;

/// <summary>A dispatch loop of one sink: claims its work and starts each call without awaiting it.</summary>
internal interface ISinkLoop
{
    /// <summary>Runs until <paramref name="stopClaiming"/>; calls it started end early when <paramref name="abort"/> fires.</summary>
    Task RunAsync(CancellationToken stopClaiming, CancellationToken abort);

    /// <summary>Calls started and not yet finished.</summary>
    IReadOnlyCollection<Task> Running { get; }
}

/// <summary>
/// The loops of a dispatcher (one per handler or destination) and how they end at shutdown: stop claiming, give the
/// calls in flight a grace period, then cancel the rest, which record themselves as interrupted.
/// </summary>
internal sealed class SinkLoops : IDisposable
{
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<(ISinkLoop Loop, Task Running)> _loops = [];

    public void Start(ISinkLoop loop) =>
        _loops.Add((loop, Task.Run(() => loop.RunAsync(_stopClaiming.Token, _abort.Token), CancellationToken.None)));

    /// <summary>
    /// Stops claiming and waits for the calls in flight for up to <paramref name="grace"/> (or until the host's
    /// <paramref name="shutdown"/> token fires), then cancels them and gives them a few seconds to record their outcome.
    /// Returns how many were still running at the cut-off (0 when all finished in time).
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace, TimeProvider time, CancellationToken shutdown)
    {
        await _stopClaiming.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops.Select(l => l.Running)).ConfigureAwait(false);

        var running = _loops.SelectMany(l => l.Loop.Running).ToArray();
        if (running.Length == 0)
        {
            return 0;
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(grace, time, shutdown).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            var abandoned = running.Count(t => !t.IsCompleted);
            await _abort.CancelAsync().ConfigureAwait(false);
            try
            {
                // Each cancelled call only has its outcome left to record.
                await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5), time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The store is not answering; leases expire and the work is claimed again after a restart.
            }

            return abandoned;
        }
    }

    public void Dispose()
    {
        _stopClaiming.Dispose();
        _abort.Dispose();
    }
}
