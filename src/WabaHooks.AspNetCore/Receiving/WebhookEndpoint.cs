using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WabaHooks.Inbox;
using WabaHooks.Signatures;
using WabaHooks.Storage;
using WabaHooks.Verification;

namespace WabaHooks.AspNetCore.Receiving;

/// <summary>
/// Meta's callback URL. GET is the verification handshake; POST is a delivery: limits, raw bytes, signature, durable
/// append, then 200. Nothing else runs before the answer.
/// </summary>
internal sealed partial class WebhookEndpoint(
    IOptions<WabaHooksOptions> options,
    GroupCommitWriter writer,
    TimeProvider timeProvider,
    ILogger<WebhookEndpoint> logger)
{
    private readonly WabaHooksOptions _options = options.Value;
    private readonly AppSecret[] _secrets = [.. options.Value.AppSecrets];

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

        context.Response.Headers.Allow = "GET, POST";
        return RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {method} is not allowed; Meta uses GET and POST");
    }

    private Task VerifyAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var decision = WebhookVerification.Decide(
            query["hub.mode"], query["hub.verify_token"], query["hub.challenge"], _options.VerifyToken);
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
            // Our own limit replaces Kestrel's so both agree; we still stop reading at it ourselves.
            sizeFeature.MaxRequestBodySize = _options.MaxBodyBytes;
        }

        var receivedAt = timeProvider.GetUtcNow();
        byte[]? body;
        try
        {
            body = declared is { } length
                ? await ReadExactlyAsync(request, (int)length, context.RequestAborted).ConfigureAwait(false)
                : await ReadChunkedAsync(request, _options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        catch (BadHttpRequestException ex)
        {
            await RefuseAsync(context, ex.StatusCode, "the request body could not be read").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (body is null)
        {
            await RefuseBodyTooLargeAsync(context).ConfigureAwait(false);
            return;
        }

        var signature = WebhookSignature.Verify(body, request.Headers[WebhookSignature.HeaderName], _secrets);
        if (!signature.IsValid)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, signature.Reason!).ConfigureAwait(false);
            return;
        }

        var delivery = new InboundDelivery(body, receivedAt, signature.MatchedSecret!.AppId, DeliveryClassifier.Classify(body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(_options.AppendTimeout);
        try
        {
            await writer.AppendAsync(delivery, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException
                ? $"the inbox did not commit within {_options.AppendTimeout.TotalSeconds:0.###} s"
                : "the inbox is unavailable";
            LogStoreFailure(logger, ex, reason);
            context.Response.Headers.RetryAfter = _options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, reason).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private Task RefuseBodyTooLargeAsync(HttpContext context)
    {
        // The unread rest is never buffered: Kestrel closes the connection instead of draining a large body.
        context.Response.Headers.Connection = "close";
        return RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"body exceeds {_options.MaxBodyBytes} bytes");
    }

    private Task RefuseAsync(HttpContext context, int statusCode, string reason)
    {
        LogRefused(logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", statusCode, reason);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadExactlyAsync(HttpRequest request, int length, CancellationToken cancellationToken)
    {
        // Content-Length is known and within the limit: one exact-size array, which the store keeps as is.
        var body = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await request.Body.ReadAsync(body.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new BadHttpRequestException("The body ended before Content-Length bytes.", StatusCodes.Status400BadRequest);
            }

            read += n;
        }

        return body;
    }

    private static async Task<byte[]?> ReadChunkedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var read = 0;
        try
        {
            while (true)
            {
                if (read == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return buffer.AsSpan(0, read).ToArray();
                }

                read += n;
                if (read > limit)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {RemoteAddress}: {StatusCode} {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remoteAddress, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery not stored, answered 503: {Reason}")]
    private static partial void LogStoreFailure(ILogger logger, Exception exception, string reason);
}
