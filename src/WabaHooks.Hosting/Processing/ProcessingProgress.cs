namespace WabaHooks.Hosting.Processing;

/// <summary>
/// When the processor last made progress (committed a batch, or found the inbox caught up) and why it is failing, so
/// readiness can tell a processor that is merely retrying from one that has been stuck for minutes.
/// </summary>
internal sealed class ProcessingProgress(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _lastProgressAt = timeProvider.GetUtcNow();
    private string? _failure;
    private long _failures;

    /// <summary>Turns that failed since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The processor committed a batch or found nothing to do.</summary>
    public void Progressed()
    {
        lock (_lock)
        {
            _lastProgressAt = timeProvider.GetUtcNow();
            _failure = null;
        }
    }

    /// <summary>A turn failed; progress stays where it was.</summary>
    public void Failed(string reason)
    {
        lock (_lock)
        {
            _failure = reason;
            _failures++;
        }
    }

    /// <summary>
    /// How long the processor has gone without progress while failing, and why; <see langword="null"/> when its latest
    /// turn succeeded.
    /// </summary>
    public (TimeSpan Since, string Reason)? Stall()
    {
        lock (_lock)
        {
            return _failure is null ? null : (timeProvider.GetUtcNow() - _lastProgressAt, _failure);
        }
    }
}
