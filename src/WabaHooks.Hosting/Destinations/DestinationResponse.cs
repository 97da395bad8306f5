namespace WabaHooks.Hosting.Destinations;

/// <summary>How one request to a destination went.</summary>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no answer came (refused, timed out, reset).</param>
/// <param name="Latency">From sending to the end of the answer's head.</param>
/// <param name="Error">Why it failed; <see langword="null"/> on a 2xx.</param>
/// <param name="Head">The first bytes of the answer's body, as text.</param>
/// <param name="RetryAfter">The answer's <c>Retry-After</c>, when it had one.</param>
public sealed record DestinationResponse(int? StatusCode, TimeSpan Latency, string? Error, string? Head, TimeSpan? RetryAfter)
{
    /// <summary>Whether the destination took the events: any 2xx.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>Whether no answer came within the destination's timeout.</summary>
    public bool TimedOut { get; init; }
}
