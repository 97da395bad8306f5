namespace WabaHooks.AspNetCore.Transport;

/// <summary>
/// Kestrel's limits for a listener that serves Meta's callback URL: small requests from Meta, and anyone on the internet
/// able to connect, so a client that sends nothing, or sends slowly, is cut off. Applied with
/// <c>KestrelServerOptions.UseWabaHooksLimits</c>; <c>wabahooks serve</c> binds them from <c>Serve:Limits</c>.
/// </summary>
public sealed class WebhookListenerLimits
{
    /// <summary>Open connections at most; past it new ones are closed at once. 0 means no limit. Default 10000.</summary>
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>The request line (method, path, query) at most, in bytes. Meta's longest is the verification GET. Default 4096.</summary>
    public int MaxRequestLineBytes { get; set; } = 4096;

    /// <summary>All request headers together at most, in bytes. Default 16384.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    /// <summary>Request headers at most. Default 50.</summary>
    public int MaxRequestHeaderCount { get; set; } = 50;

    /// <summary>How long a client has to send all request headers. Default 10 seconds.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection may stay open without a request. Default 30 seconds.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The slowest a request body may arrive, in bytes per second, averaged once <see cref="MinBodyDataRateGracePeriod"/>
    /// has passed; a slower sender is cut off. Default 1024 (Meta sends a delivery in one go).
    /// </summary>
    public double MinBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>How long a body may arrive slower than <see cref="MinBodyBytesPerSecond"/> before it counts. Default 5 seconds.</summary>
    public TimeSpan MinBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}
