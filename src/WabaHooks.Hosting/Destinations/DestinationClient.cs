using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using WabaHooks.Destinations;
using WabaHooks.Signatures;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Sends signed requests to one destination: the events the dispatcher forwards, and the test event of
/// <c>wabahooks destinations test</c>. Requests go through the destination's named client
/// (<see cref="WabaHooksHttpClients.Destination"/>), on which redirects are not followed (a 3xx is a failure) and
/// cookies are not kept; the answer's body is read only up to <see cref="HeadBytes"/>.
/// </summary>
public sealed class DestinationClient : IDestinationTransport
{
    /// <summary>How much of an answer's body is kept with the attempt.</summary>
    public const int HeadBytes = 512;

    private static readonly ProductInfoHeaderValue UserAgent = new("WabaHooks", typeof(DestinationClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0");
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly DestinationOptions _destination;
    // Replaced as one when the destination's secret is rotated in configuration; a request signs with one snapshot.
    private volatile SigningKeys _keys;
    private readonly TimeProvider _time;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly string _httpClientName;

    /// <summary>Creates a client for <paramref name="destination"/>, whose settings must be valid.</summary>
    /// <param name="destination">The destination's settings.</param>
    /// <param name="httpClientFactory">
    /// Gives the client named <see cref="WabaHooksHttpClients.Destination"/>; a fresh one per request, so the factory can
    /// rotate its handlers.
    /// </param>
    /// <param name="time">The clock for timestamps, latencies and the request deadline. Default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The settings are not valid; the message lists every problem.</exception>
    public DestinationClient(DestinationOptions destination, IHttpClientFactory httpClientFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        var problems = destination.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(destination));
        }

        _destination = destination;
        // Each key is derived once, as the settings are checked, not on every send: the dispatcher signs every attempt.
        _keys = SigningKeys.For(destination, destination.Secret);
        _time = time ?? TimeProvider.System;
        _httpClientFactory = httpClientFactory;
        _httpClientName = WabaHooksHttpClients.Destination(destination.Name);
    }

    /// <summary>The destination's settings.</summary>
    public DestinationOptions Destination => _destination;

    /// <summary>Signs the next requests with <paramref name="secret"/>: the destination's secret was rotated.</summary>
    /// <param name="secret">The new secret, already validated with the rest of the destination's settings.</param>
    internal void UseSecret(string secret) => _keys = SigningKeys.For(_destination, secret);

    private sealed record SigningKeys(byte[]? Event, AppSecret Envelope)
    {
        public static SigningKeys For(DestinationOptions destination, string secret) => new(
            destination.Format == DestinationFormat.Event ? StandardWebhooks.ParseSecret(secret) : null,
            new AppSecret(destination.Name, secret));
    }

    /// <summary>POSTs Meta's envelope (whole or narrowed), signed with <c>X-Hub-Signature-256</c> under the destination's secret.</summary>
    /// <param name="envelope">The exact bytes to send.</param>
    /// <param name="cancellationToken">Aborts the request; counted as a failure with the reason "cancelled".</param>
    public Task<DestinationResponse> SendEnvelopeAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken)
    {
        var request = NewRequest(envelope);
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(envelope.Span, _keys.Envelope));
        return SendAsync(request, cancellationToken);
    }

    /// <summary>POSTs one event body with the Standard Webhooks headers, <c>webhook-id</c> being <paramref name="eventId"/>.</summary>
    /// <param name="eventId">The idempotency key; the same on every attempt and replay, so receivers can dedupe on it.</param>
    /// <param name="body">The exact bytes to send.</param>
    /// <param name="cancellationToken">Aborts the request.</param>
    public Task<DestinationResponse> SendEventAsync(string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var key = _keys.Event ?? throw new InvalidOperationException($"Destination '{_destination.Name}' takes Meta's envelope, not events.");
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var request = NewRequest(body);
        request.Headers.Add(StandardWebhooks.IdHeader, eventId);
        request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(key, eventId, timestamp, body.Span));
        return SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sends a signed test in the destination's format (<see cref="DestinationTestMessage.Create"/>): for
    /// <see cref="DestinationFormat.Event"/> a <c>wabahooks.test</c> event; for <see cref="DestinationFormat.Meta"/> a
    /// <c>messages</c> notification holding a text message from the test numbers Meta's dashboard uses.
    /// </summary>
    public Task<DestinationResponse> SendTestAsync(CancellationToken cancellationToken) =>
        SendAsync(DestinationTestMessage.Create(_destination.Format, _time.GetUtcNow()), cancellationToken);

    /// <inheritdoc/>
    public bool OneEventPerMessage => _destination.Format == DestinationFormat.Event;

    /// <summary>Nothing to check before the first request: an HTTP endpoint answers each request for itself.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// POSTs <paramref name="message"/>: in Meta's format with <see cref="SendEnvelopeAsync"/>, in the event format with
    /// <see cref="SendEventAsync"/> (its <c>webhook-id</c> being the message's id).
    /// </summary>
    public Task<DestinationResponse> SendAsync(DestinationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _destination.Format == DestinationFormat.Event
            ? SendEventAsync(message.Id, message.Body, cancellationToken)
            : SendEnvelopeAsync(message.Body, cancellationToken);
    }

    /// <summary>Nothing to release: the factory owns the HTTP handlers.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private HttpRequestMessage NewRequest(ReadOnlyMemory<byte> body)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, _destination.Url) { Content = content };
        request.Headers.UserAgent.Add(UserAgent);
        return request;
    }

    private async Task<DestinationResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var _ = request;
        using var deadline = new CancellationTokenSource(_destination.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var started = _time.GetTimestamp();
        var http = _httpClientFactory.CreateClient(_httpClientName);
        // Each request has its own deadline (the destination's timeout), enforced by its token.
        http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var latency = _time.GetElapsedTime(started);
            var head = await ReadHeadAsync(response, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var succeeded = status is >= 200 and < 300;
            return new DestinationResponse(
                status,
                latency,
                succeeded ? null : $"HTTP {status} {response.ReasonPhrase}".TrimEnd(),
                head,
                RetryAfter(response.Headers.RetryAfter));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return Failed($"timed out after {_destination.Timeout.TotalSeconds:0.###} s") with { TimedOut = true };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed("cancelled");
        }
        catch (HttpRequestException ex)
        {
            // The innermost message names the cause (connection refused, reset, name not resolved) without the body.
            return Failed(ex.HttpRequestError == HttpRequestError.Unknown ? ex.GetBaseException().Message : $"{ex.HttpRequestError}: {ex.GetBaseException().Message}");
        }

        DestinationResponse Failed(string error) => new(null, _time.GetElapsedTime(started), error, null, null);
    }

    private static async Task<string?> ReadHeadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var _ = stream.ConfigureAwait(false);
            var buffer = new byte[HeadBytes];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status already decided the outcome; a body cut short only loses the excerpt.
            return null;
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
