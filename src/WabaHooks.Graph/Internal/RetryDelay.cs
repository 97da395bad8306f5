using System.Net.Http.Headers;

namespace WabaHooks.Graph;

/// <summary>How long to wait before a retry.</summary>
internal static class RetryDelay
{
    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first). A <c>Retry-After</c> from the server wins
    /// over backoff, because it is the server's own estimate; both are capped by <paramref name="max"/>.
    /// </summary>
    /// <param name="retry">1 for the first retry.</param>
    /// <param name="baseDelay">The first retry's delay before jitter.</param>
    /// <param name="max">The cap.</param>
    /// <param name="retryAfter">The answer's <c>Retry-After</c>, if any.</param>
    /// <param name="now">Now, to turn a <c>Retry-After</c> date into a wait.</param>
    /// <param name="jitter">A number in [0, 1).</param>
    public static TimeSpan Compute(int retry, TimeSpan baseDelay, TimeSpan max, RetryConditionHeaderValue? retryAfter, DateTimeOffset now, double jitter)
    {
        var fromServer = FromRetryAfter(retryAfter, now);
        if (fromServer is { } asked)
        {
            return Clamp(asked, max);
        }

        // Doubling per retry, in doubles so a large MaxRetries reaches the cap instead of overflowing TimeSpan.
        var exponentialTicks = baseDelay.Ticks * Math.Pow(2, Math.Max(retry - 1, 0));
        var ticks = exponentialTicks * (1 + (jitter / 2));
        return ticks >= max.Ticks ? max : Clamp(TimeSpan.FromTicks((long)ticks), max);
    }

    private static TimeSpan? FromRetryAfter(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            return date - now;
        }

        return null;
    }

    private static TimeSpan Clamp(TimeSpan delay, TimeSpan max) =>
        delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
}
