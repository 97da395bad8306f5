using WabaHooks.Hosting.Sinks;

namespace WabaHooks.Hosting.Destinations;

/// <summary>When a failed event is tried again, under a destination's <see cref="DestinationRetryOptions"/>.</summary>
internal static class RetrySchedule
{
    /// <summary>
    /// When to try again after failed attempt <paramref name="attempt"/>: exponential backoff with full jitter, at least
    /// the destination's <c>Retry-After</c> (up to the cap), and never past the retry window, whose end gets one last
    /// attempt. <see langword="null"/> once the window is over: a dead letter.
    /// </summary>
    public static DateTimeOffset? Next(DestinationRetryOptions retry, DateTimeOffset scheduledAt, int attempt, TimeSpan? retryAfter, DateTimeOffset now, Random random)
    {
        var windowEnd = scheduledAt + retry.Window;
        if (now >= windowEnd)
        {
            return null;
        }

        var delay = Backoff.Delay(attempt, retry.BaseDelay, retry.MaxDelay, random);
        if (retryAfter is { } wait && wait > delay)
        {
            delay = wait < retry.MaxDelay ? wait : retry.MaxDelay;
        }

        var at = now + delay;
        return at < windowEnd ? at : windowEnd;
    }
}
