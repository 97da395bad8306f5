namespace WabaHooks.Hosting.Destinations;

/// <summary>How long and how often a failed event is tried again before it becomes a dead letter.</summary>
public sealed class DestinationRetryOptions
{
    /// <summary>
    /// The backoff base: the delay before retry <c>n</c> is drawn uniformly between zero and
    /// <c>min(MaxDelay, BaseDelay × 2^(n-1))</c> (exponential backoff with full jitter). Default 5 seconds.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The cap on one delay. A <c>Retry-After</c> answer is honoured up to this cap. Default 1 hour.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an event is retried, counted from when it was scheduled (stored, replayed, or retried from the dead
    /// letters). The last attempt is made at the window's end; if it fails too, the event is dead-lettered. Default 3 days.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(3);
}
