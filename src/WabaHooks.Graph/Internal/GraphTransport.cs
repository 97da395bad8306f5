using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace WabaHooks.Graph;

/// <summary>Sends one Graph request: a timeout per attempt, retries with backoff, and errors turned into exceptions.</summary>
internal sealed class GraphTransport
{
    private readonly HttpClient _httpClient;
    private readonly GraphClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SecretRedactor _redactor;

    public GraphTransport(HttpClient httpClient, GraphClientOptions options, TimeProvider timeProvider, SecretRedactor redactor)
    {
        _httpClient = httpClient;
        _options = options;
        _timeProvider = timeProvider;
        _redactor = redactor;
    }

    /// <summary>Sends the request until it succeeds, fails for good, or runs out of retries.</summary>
    /// <param name="createRequest">Builds a fresh request for each attempt; a sent request cannot be sent again.</param>
    /// <param name="request">Method and path for messages. Never the query: it may hold an access token.</param>
    /// <param name="typeInfo">How to read a successful answer.</param>
    /// <param name="cancellationToken">Cancels the whole call, waits included.</param>
    /// <param name="redactor">
    /// Masks what this call sends that is secret, in error messages; the client's own (its tokens) when null.
    /// </param>
    /// <remarks>
    /// Every call this client makes is idempotent (subscribe, set, read, delete), so a timeout or a connection failure is
    /// retried like a 5xx: repeating it cannot do anything twice.
    /// </remarks>
    public async Task<T> SendAsync<T>(
        Func<HttpRequestMessage> createRequest,
        string request,
        JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken,
        SecretRedactor? redactor = null)
    {
        redactor ??= _redactor;
        for (var attempt = 1; ; attempt++)
        {
            var canRetry = attempt <= _options.MaxRetries;
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

            HttpStatusCode status;
            byte[] body;
            string? contentType;
            RetryConditionHeaderValue? retryAfter;
            try
            {
                using var message = createRequest();
                using var response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                status = response.StatusCode;
                contentType = response.Content.Headers.ContentType?.MediaType;
                retryAfter = response.Headers.RetryAfter;
                body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                if (canRetry)
                {
                    await WaitAsync(attempt, retryAfter: null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new TimeoutException(
                    $"The Graph API did not answer {request} within {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s " +
                    $"({Attempts(attempt)}). Raise GraphClientOptions.RequestTimeout if Meta is slow rather than down.",
                    ex);
            }
            catch (HttpRequestException) when (canRetry && !cancellationToken.IsCancellationRequested)
            {
                await WaitAsync(attempt, retryAfter: null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if ((int)status is >= 200 and < 300)
            {
                return Parse(status, body, contentType, request, typeInfo, attempt, redactor);
            }

            var error = GraphErrorReader.Read(status, body, contentType, request, redactor, attempt);
            if (canRetry && IsRetryable(status, error))
            {
                await WaitAsync(attempt, retryAfter, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw error;
        }
    }

    private static bool IsRetryable(HttpStatusCode status, GraphApiException error) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500 || error.IsTransient;

    private Task WaitAsync(int attempt, RetryConditionHeaderValue? retryAfter, CancellationToken cancellationToken)
    {
        // Random.Shared is fine here: jitter only has to spread clients apart, not be unpredictable to an attacker.
#pragma warning disable CA5394
        var jitter = Random.Shared.NextDouble();
#pragma warning restore CA5394
        var delay = RetryDelay.Compute(attempt, _options.BackoffBaseDelay, _options.MaxRetryDelay, retryAfter, _timeProvider.GetUtcNow(), jitter);
        return Task.Delay(delay, _timeProvider, cancellationToken);
    }

    private static T Parse<T>(HttpStatusCode status, byte[] body, string? contentType, string request, JsonTypeInfo<T> typeInfo, int attempt, SecretRedactor redactor)
    {
        try
        {
            var value = JsonSerializer.Deserialize(body, typeInfo);
            if (value is not null)
            {
                return value;
            }
        }
        catch (JsonException ex)
        {
            throw Unreadable(status, body, contentType, request, attempt, ex, redactor);
        }

        throw Unreadable(status, body, contentType, request, attempt, null, redactor);
    }

    private static GraphApiException Unreadable(HttpStatusCode status, byte[] body, string? contentType, string request, int attempt, Exception? inner, SecretRedactor redactor)
    {
        // Reuse the error reader's description of the body, then say it was a success status that could not be read.
        var described = GraphErrorReader.Read(status, body, contentType, request, redactor, attempt);
        return new GraphApiException(
            status,
            $"The Graph API answered {request} with HTTP {(int)status} but the body could not be read as the expected JSON. {described.Message}",
            inner)
        {
            Attempts = attempt,
        };
    }

    private static string Attempts(int attempts) =>
        attempts == 1 ? "1 attempt" : attempts.ToString(CultureInfo.InvariantCulture) + " attempts";
}
