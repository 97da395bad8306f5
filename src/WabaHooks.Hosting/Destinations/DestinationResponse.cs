namespace WabaHooks.Hosting.Destinations;

/// <summary>How one send to a destination went.</summary>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no HTTP answer came (refused, timed out, reset, or a broker).</param>
/// <param name="Latency">From sending to the answer (the end of an HTTP answer's head, a broker's confirmation).</param>
/// <param name="Error">Why it failed; <see langword="null"/> when it succeeded.</param>
/// <param name="Head">The first bytes of an HTTP answer's body, as text; for a broker, its answer in words.</param>
/// <param name="RetryAfter">The answer's <c>Retry-After</c>, when it had one.</param>
public sealed record DestinationResponse(int? StatusCode, TimeSpan Latency, string? Error, string? Head, TimeSpan? RetryAfter)
{
    /// <summary>Whether the destination took the events: any 2xx, or a broker's confirmation.</summary>
    public bool Succeeded { get; init; } = StatusCode is >= 200 and < 300;

    /// <summary>Whether no answer came within the destination's timeout.</summary>
    public bool TimedOut { get; init; }

    /// <summary>A broker took the message: <paramref name="answer"/> says how (acknowledged, stored at sequence 12, a duplicate).</summary>
    /// <param name="latency">From publishing to the confirmation.</param>
    /// <param name="answer">The broker's answer in words.</param>
    public static DestinationResponse Confirmed(TimeSpan latency, string answer) => new(null, latency, null, answer, null) { Succeeded = true };

    /// <summary>A broker did not take the message, or could not be reached.</summary>
    /// <param name="latency">From publishing to the failure.</param>
    /// <param name="error">Why, in words: the broker's reply code and text, or the connection's failure.</param>
    /// <param name="timedOut">Whether no confirmation came within the destination's timeout.</param>
    public static DestinationResponse Refused(TimeSpan latency, string error, bool timedOut = false) => new(null, latency, error, null, null) { TimedOut = timedOut };
}
