using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Timeout;

namespace WabaHooks.Graph;

/// <summary>
/// Sends one Graph request through the client's resilience pipeline (<see cref="GraphResilience"/>) and turns what
/// comes back into a value or an exception.
/// </summary>
internal sealed class GraphTransport
{
    private readonly Func<HttpClient> _httpClient;
    private readonly GraphClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly SecretRedactor _redactor;

    /// <param name="httpClient">Gives the client for one call; called once per call, not per attempt.</param>
    /// <param name="options">The client's snapshot of its options.</param>
    /// <param name="timeProvider">The clock for attempt timeouts and backoff.</param>
    /// <param name="redactor">Masks the client's tokens in error messages.</param>
    public GraphTransport(Func<HttpClient> httpClient, GraphClientOptions options, TimeProvider timeProvider, SecretRedactor redactor)
    {
        _httpClient = httpClient;
        _options = options;
        _pipeline = GraphResilience.Create(options, timeProvider);
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
    public async Task<T> SendAsync<T>(
        Func<HttpRequestMessage> createRequest,
        string request,
        JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken,
        SecretRedactor? redactor = null)
    {
        redactor ??= _redactor;
        var http = _httpClient();
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var message = createRequest();
                    // The whole body is read within the attempt, so its timeout covers it and the retry predicate
                    // can look into it without touching the network again.
                    return await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException(
                $"The Graph API did not answer {request} within {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s " +
                $"({Attempts(attempts)}). Raise GraphClientOptions.RequestTimeout if Meta is slow rather than down.",
                ex);
        }

        using (response)
        {
            var status = response.StatusCode;
            var contentType = response.Content.Headers.ContentType?.MediaType;
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if ((int)status is >= 200 and < 300)
            {
                return Parse(status, body, contentType, request, typeInfo, attempts, redactor);
            }

            throw GraphErrorReader.Read(status, body, contentType, request, redactor, attempts);
        }
    }

    /// <summary>
    /// One GET of a binary (a media download), copied to <paramref name="destination"/> as it arrives. Not retried here:
    /// the caller's attempts (a sink's) decide, and a short-lived URL may need renewing first.
    /// </summary>
    /// <exception cref="GraphApiException">Any answer but 2xx.</exception>
    /// <exception cref="TimeoutException">The download took longer than <paramref name="timeout"/>.</exception>
    public async Task DownloadAsync(Func<HttpRequestMessage> createRequest, string request, Stream destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var http = _httpClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var message = createRequest();
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
                throw GraphErrorReader.Read(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, request, _redactor, 1);
            }

            await response.Content.CopyToAsync(destination, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The download of {request} did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", ex);
        }
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
