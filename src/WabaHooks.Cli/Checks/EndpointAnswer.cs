using System.Globalization;
using System.Net;

namespace WabaHooks.Cli.Checks;

/// <summary>What an endpoint did with one request: an HTTP answer, or the reason there was none.</summary>
/// <param name="Status">The HTTP status, or null when no answer came.</param>
/// <param name="Body">The answer's body as text (at most <see cref="EndpointProbe.MaxBodyChars"/> characters read).</param>
/// <param name="Elapsed">From sending the request to reading the answer.</param>
/// <param name="Failure">Why no answer came: not reachable, or timed out.</param>
internal sealed record EndpointAnswer(HttpStatusCode? Status, string Body, TimeSpan Elapsed, string? Failure)
{
    public bool IsOk => Status == HttpStatusCode.OK;

    public string StatusText => Status is { } status
        ? $"HTTP {((int)status).ToString(CultureInfo.InvariantCulture)} ({status})"
        : Failure ?? "no answer";

    public string Milliseconds => Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
