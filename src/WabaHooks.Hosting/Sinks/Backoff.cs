namespace WabaHooks.Hosting.Sinks;

/// <summary>Exponential backoff with full jitter, so sinks failing together do not retry in lockstep.</summary>
internal static class Backoff
{
    /// <summary>The delay after failed attempt <paramref name="attempt"/> (1 for the first).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        // Doubles, so a large attempt count saturates at the cap instead of overflowing.
        var exponential = baseDelay.Ticks * Math.Pow(2, Math.Max(0, attempt - 1));
        var ceiling = Math.Min(maxDelay.Ticks, exponential);
        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling));
    }
}
