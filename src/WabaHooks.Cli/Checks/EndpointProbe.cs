using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Checks;

/// <summary>
/// Sends single requests to a webhook endpoint as Meta would, each bounded by a timeout, and reports what came back
/// without throwing: an unreachable endpoint is a finding, not an error.
/// </summary>
internal sealed class EndpointProbe : IDisposable
{
    public const int MaxBodyChars = 4096;

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public EndpointProbe(TimeSpan timeout, int maxConnections = 16)
    {
        _timeout = timeout;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, AllowAutoRedirect = false };
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public TimeSpan Timeout => _timeout;

    public Task<EndpointAnswer> GetAsync(Uri url, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);

    /// <summary>Posts a notification as Meta does: JSON, signed when a signature is given, the bytes untouched.</summary>
    public Task<EndpointAnswer> PostAsync(Uri url, byte[] body, string? signature, CancellationToken cancellationToken) =>
        SendAsync(NewPost(url, body, signature), cancellationToken);

    /// <summary>
    /// Posts a notification signed with <paramref name="secret"/> as Meta signs, and marked as a test
    /// (<see cref="TestMark"/>) so that a WabaHooks gateway stores it apart and hands it to no sink that did not opt
    /// in. Any other endpoint ignores the mark.
    /// </summary>
    public Task<EndpointAnswer> PostSignedAsync(Uri url, byte[] body, AppSecret secret, CancellationToken cancellationToken)
    {
        var request = NewPost(url, body, WebhookSignature.Sign(body, secret));
        request.Headers.TryAddWithoutValidation(TestMark.HeaderName, TestMark.Sign(body, secret));
        return SendAsync(request, cancellationToken);
    }

    private static HttpRequestMessage NewPost(Uri url, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
        }

        return request;
    }

    private async Task<EndpointAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var disposeRequest = request;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            return new EndpointAnswer(response.StatusCode, body, clock.Elapsed, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EndpointAnswer(null, "", clock.Elapsed, $"no answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (timed out)");
        }
        catch (HttpRequestException ex)
        {
            return new EndpointAnswer(null, "", clock.Elapsed, $"not reachable: {ex.Message}");
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Bounded: an endpoint that streams without end must not hang or exhaust the check.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            var buffer = new char[MaxBodyChars];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await reader.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            return new string(buffer, 0, read);
        }
    }

    public void Dispose() => _http.Dispose();
}
