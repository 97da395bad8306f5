using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace WabaHooks.Graph;

/// <summary>
/// The resilience pipeline every Graph call runs in: a timeout per attempt inside retries with exponential backoff and
/// jitter. Retried are what <see cref="HttpClientResiliencePredicates.IsTransient(Outcome{HttpResponseMessage})"/>
/// calls transient (connection failures, timed-out attempts, 408, 429, 5xx) and, beyond it, any refused answer whose
/// Graph error object says <c>is_transient</c>, whatever its status.
/// </summary>
/// <remarks>
/// Every call the client makes is idempotent (subscribe, set, read, delete), so a timeout or a connection failure is
/// retried like a 5xx: repeating it cannot do anything twice.
/// </remarks>
internal static class GraphResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Create(GraphClientOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            var maxDelay = options.MaxRetryDelay;
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BackoffBaseDelay,
                MaxDelay = maxDelay,
                ShouldHandle = ShouldRetryAsync,
                // The library's own Retry-After reading (ShouldRetryAfterHeader) measures dates on the system clock and is
                // not capped by MaxDelay; this one uses the pipeline's clock and keeps a server's wait within MaxRetryDelay.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => new(RetryAfter(args.Outcome.Result, timeProvider, maxDelay)),
            });
        }

        return builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.RequestTimeout }).Build();
    }

    private static async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        if (HttpClientResiliencePredicates.IsTransient(args.Outcome))
        {
            return true;
        }

        // Graph marks some errors transient in the body only, on a 400 as well as a 5xx. The body is already buffered:
        // reading it here does not touch the network.
        return args.Outcome.Result is { IsSuccessStatusCode: false } response
            && GraphErrorReader.IsTransient(await response.Content.ReadAsByteArrayAsync(args.Context.CancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The server's <c>Retry-After</c>, which wins over backoff because it is the server's own estimate; capped by
    /// <paramref name="max"/>, and a date already past means no wait. Null without the header: backoff decides.
    /// </summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider timeProvider, TimeSpan max)
    {
        TimeSpan? asked = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - timeProvider.GetUtcNow(),
            _ => null,
        };
        return asked is not { } wait ? null : wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;
    }
}
