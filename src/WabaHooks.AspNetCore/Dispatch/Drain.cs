namespace WabaHooks.AspNetCore.Dispatch;

/// <summary>How dispatchers end at shutdown: calls in flight get a grace period, then are cancelled.</summary>
internal static class Drain
{
    /// <summary>
    /// Waits for <paramref name="running"/> for up to <paramref name="grace"/> (or until the host's shutdown token
    /// fires), then cancels <paramref name="abort"/> and gives the cancelled calls a few seconds to record their
    /// outcome. Returns how many were still running at the cut-off (0 when all finished in time).
    /// </summary>
    public static async Task<int> Async(IReadOnlyCollection<Task> running, TimeSpan grace, CancellationTokenSource abort, TimeProvider time, CancellationToken shutdown)
    {
        if (running.Count == 0)
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
            await abort.CancelAsync().ConfigureAwait(false);
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
}
