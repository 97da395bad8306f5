using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Inbox;
using WabaHooks.Signatures;
using WabaHooks.Storage;
using WabaHooks.Verification;

namespace WabaHooks.AspNetCore.Receiving;

/// <summary>
/// Meta's callback URL. GET is the verification handshake; POST is a delivery: limits, raw bytes, signature, durable
/// append, then 200. Nothing else runs before the answer.
/// </summary>
/// <remarks>
/// No validly signed body is answered 500: the classifier is total, the store's failures are 503 (Meta retries), and
/// anything else that can fail — reading the body, a client that goes away — fails before the signature is known.
/// Failures that repeat (a store outage, a misconfigured sender) are logged in full once per interval and counted in
/// between, so an outage under load does not turn into a log storm.
/// </remarks>
internal sealed partial class WebhookEndpoint(
    IOptions<WabaHooksOptions> options,
    IOptionsMonitor<WabaHooksOptions> reloaded,
    GroupCommitWriter writer,
    WabaHooksMetrics metrics,
    TimeProvider timeProvider,
    ILogger<WebhookEndpoint> logger) : IDisposable
{
    /// <summary>The first buffer a body is read into; it doubles as bytes arrive, up to the body limit.</summary>
    internal const int InitialBufferBytes = 16 * 1024;

    // Limits are the settings validated at start-up, read once; only the credentials below follow a reload.
    private readonly WabaHooksOptions _options = options.Value;
    private readonly RepeatedFailureLog _failures = new(logger, timeProvider);
    private readonly RefusalLimiter _refusals = new(options.Value.RefusedRequests);

    // The app secrets and verify token, replaced as one when the configuration reloads: a request reads one snapshot.
    // A reload that does not validate never reaches here (the monitor throws instead of calling back), so the endpoint
    // keeps the last valid credentials rather than refusing everything.
    private volatile Credentials _credentials = new(options.Value);

    private IDisposable? _onChange;

    /// <summary>Starts following reloads of the app secrets and verify token.</summary>
    public WebhookEndpoint Watch()
    {
        try
        {
            // Created at the first request: a change made since start-up is taken now, if it is valid.
            _credentials = new(reloaded.CurrentValue);
        }
        catch (OptionsValidationException)
        {
            // Reported by the settings reload log; the start-up settings stay.
        }

        _onChange = reloaded.OnChange((changed, name) =>
        {
            if (name == Options.DefaultName)
            {
                _credentials = new(changed);
                LogCredentialsReloaded(logger, _credentials.Secrets.Length);
            }
        });
        return this;
    }

    /// <summary>Writes the counts of failures not yet reported.</summary>
    public void Dispose()
    {
        _onChange?.Dispose();
        _failures.Dispose();
        _refusals.Dispose();
    }

    public Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsPost(method))
        {
            return ReceiveAsync(context);
        }

        if (HttpMethods.IsGet(method))
        {
            return VerifyAsync(context);
        }

        metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.Method);
        context.Response.Headers.Allow = "GET, POST";
        return RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {method} is not allowed; Meta uses GET and POST");
    }

    private Task VerifyAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var decision = WebhookVerification.Decide(
            query["hub.mode"], query["hub.verify_token"], query["hub.challenge"], _credentials.VerifyToken);
        switch (decision.Outcome)
        {
            case VerificationOutcome.Accepted:
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/plain; charset=utf-8";
                context.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(decision.Challenge!);
                return context.Response.WriteAsync(decision.Challenge!, context.RequestAborted);
            case VerificationOutcome.MissingParameter:
                return RefuseAsync(context, StatusCodes.Status400BadRequest, decision.Reason!);
            default:
                return RefuseAsync(context, StatusCodes.Status403Forbidden, decision.Reason!);
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.ContentType);
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json").ConfigureAwait(false);
            return;
        }

        var declared = request.ContentLength;
        if (declared > _options.MaxBodyBytes)
        {
            await RefuseBodyTooLargeAsync(context).ConfigureAwait(false);
            return;
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // The server's limit is lifted for this request and ours counts instead: Kestrel counts what it reads of a
            // chunked body framing and all (an 8-byte chunk is 13 bytes on the wire), so a limit equal to ours refused
            // bodies well under it. Ours counts body bytes only, and stops reading as soon as they pass the limit.
            sizeFeature.MaxRequestBodySize = null;
        }

        var receivedAt = timeProvider.GetUtcNow();
        byte[]? body;
        try
        {
            body = await ReadBodyAsync(request.Body, declared, _options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        catch (BadHttpRequestException ex)
        {
            metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.Unreadable);
            await RefuseAsync(context, ex.StatusCode, "the request body could not be read").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (IOException)
        {
            // The client reset the connection mid-body: there is no one to answer, and nothing signed was received.
            return;
        }

        if (body is null)
        {
            await RefuseBodyTooLargeAsync(context).ConfigureAwait(false);
            return;
        }

        var signature = WebhookSignature.Verify(body, request.Headers[WebhookSignature.HeaderName], _credentials.Secrets);
        if (!signature.IsValid)
        {
            metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.Signature);
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, signature.Reason!).ConfigureAwait(false);
            return;
        }

        var flags = DeliveryClassifier.Classify(body);
        var testMark = request.Headers[TestMark.HeaderName];
        if (testMark.Count > 0)
        {
            // Checked only when present, so Meta's deliveries cost no extra HMAC. A mark that does not verify is refused
            // rather than stored unmarked: test traffic must never pass for Meta's.
            if (!TestMark.Verify(body, testMark.ToString(), signature.MatchedSecret!))
            {
                metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.Signature);
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, $"{TestMark.HeaderName} does not match the body").ConfigureAwait(false);
                return;
            }

            flags |= DeliveryFlags.Test;
        }

        var appId = signature.MatchedSecret!.AppId;
        // A child of the server's request span; null when nothing listens, and then nothing more is done. Its context is
        // stored with the delivery, so the spans of processing and of every sink link back to it.
        using var activity = WabaHooksActivities.Source.StartActivity(WabaHooksActivities.Receive);
        activity?.SetTag(WabaHooksActivities.AppId, appId);
        var delivery = new InboundDelivery(body, receivedAt, appId, flags, activity?.IdFormat == System.Diagnostics.ActivityIdFormat.W3C ? activity.Id : null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(_options.AppendTimeout);
        try
        {
            var id = await writer.AppendAsync(delivery, timeout.Token).ConfigureAwait(false);
            activity?.SetTag(WabaHooksActivities.DeliveryId, id);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.StoreUnavailable);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "store unavailable");
            var reason = ex is OperationCanceledException
                ? $"the inbox did not commit within {_options.AppendTimeout.TotalSeconds:0.###} s"
                : "the inbox is unavailable";
            if (_failures.ShouldLog("Delivery not stored, answered 503: " + reason))
            {
                LogStoreFailure(logger, ex, reason);
            }

            context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, reason).ConfigureAwait(false);
            return;
        }

        metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.Stored, delivery.AppId);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private Task RefuseBodyTooLargeAsync(HttpContext context)
    {
        metrics.DeliveryReceived(WabaHooksMetrics.DeliveryOutcomes.BodyTooLarge);
        // The unread rest is never buffered: Kestrel closes the connection instead of draining a large body.
        context.Response.Headers.Connection = "close";
        return RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"body exceeds {_options.MaxBodyBytes} bytes");
    }

    private Task RefuseAsync(HttpContext context, int statusCode, string reason)
    {
        if (!_refusals.TryRefuse(context.Connection.RemoteIpAddress))
        {
            // This address has used up its refusals: a short answer, no log line, and the connection closed so a scanner
            // pays for a new one (a TLS handshake) each time. Metrics still count the refusal's reason.
            context.Response.Headers.Connection = "close";
            context.Response.Headers.RetryAfter = "1";
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        return AnswerAsync(context, statusCode, reason);
    }

    private Task AnswerAsync(HttpContext context, int statusCode, string reason)
    {
        // Keyed by status, reason and sender: each sender's repeated mistake is logged once per interval with a count,
        // and a flood from many addresses is bounded by the log's key limit (the rest are counted under one line).
        // Metrics count every refusal.
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (_failures.ShouldLog(string.Create(CultureInfo.InvariantCulture, $"Refused {statusCode} from {remote}: {reason}"), LogLevel.Warning))
        {
            LogRefused(logger, context.Request.Method, context.Request.Path, remote, statusCode, reason);
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    private sealed class Credentials(WabaHooksOptions options)
    {
        public AppSecret[] Secrets { get; } = [.. AppSecret.NameByPosition(options.AppSecrets)];

        public string VerifyToken { get; } = options.VerifyToken;
    }

    private static bool IsJson(string? contentType) =>
        // Meta sends exactly this: answered without parsing (and allocating) a media type for every delivery.
        string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase)
        || (MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the whole body into an array of exactly its length, or returns <see langword="null"/> as soon as a body of
    /// unknown length passes <paramref name="limit"/>.
    /// </summary>
    /// <remarks>
    /// Memory follows the bytes that arrive, not the bytes announced: the body is read into pooled buffers that start
    /// small and double, and the exact array is made only once the body is complete. Neither Content-Length nor the
    /// signature is known to be honest before then, so an unauthenticated sender that announces the limit and stalls
    /// holds <see cref="InitialBufferBytes"/>, not the limit. The array is exact because the store and the splitter keep
    /// slices of it.
    /// </remarks>
    /// <param name="body">The request body.</param>
    /// <param name="declared">Content-Length, already checked against <paramref name="limit"/>; null when chunked.</param>
    /// <param name="limit">The most body bytes accepted.</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, long? declared, long limit, CancellationToken cancellationToken)
    {
        // The most bytes to hold: a declared length is already within the limit (the server ends the body there).
        var cap = (int)(declared ?? limit);
        if (cap == 0)
        {
            // Content-Length: 0 (the limit is never 0).
            return [];
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(cap, InitialBufferBytes));
        var read = 0;
        try
        {
            while (true)
            {
                if (read == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, cap));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                // Never past the cap, though a pooled buffer may be larger than asked for.
                var n = await body.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, cap) - read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    if (declared is not null)
                    {
                        throw new BadHttpRequestException("The body ended before Content-Length bytes.", StatusCodes.Status400BadRequest);
                    }

                    return buffer.AsSpan(0, read).ToArray();
                }

                read += n;
                if (read == cap)
                {
                    // A declared body is complete. A chunked one is at the limit: one more byte is enough to know it is
                    // too large, and is read aside rather than growing the buffer past the limit.
                    return declared is not null || !await ReadsMoreAsync(body, cancellationToken).ConfigureAwait(false)
                        ? buffer.AsSpan(0, read).ToArray()
                        : null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<bool> ReadsMoreAsync(Stream body, CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        return await body.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {RemoteAddress}: {StatusCode} {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remoteAddress, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded: {SecretCount} app secret(s) and the verify token now in use")]
    private static partial void LogCredentialsReloaded(ILogger logger, int secretCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery not stored, answered 503: {Reason}")]
    private static partial void LogStoreFailure(ILogger logger, Exception exception, string reason);
}
