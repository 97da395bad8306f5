using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.AspNetCore.Transport;
using WabaHooks.Hosting.Diagnostics;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>
/// Kestrel settings for the listener that serves Meta's callback URL: its limits, and mutual TLS with Meta's client
/// certificate. What <c>wabahooks serve</c> uses, for an application that hosts <c>MapWabaHooks</c> itself.
/// </summary>
public static class WabaHooksKestrelExtensions
{
    /// <summary>
    /// Sets Kestrel's limits for a webhook endpoint: header size and count, request line, the request-headers and
    /// keep-alive timeouts, the slowest accepted body (slow senders are cut off), the connection cap; no upgraded
    /// (WebSocket) connections; HTTP/2's header table bounded like HTTP/1.1's headers. The limits are server-wide: they
    /// apply to every endpoint of this Kestrel server.
    /// </summary>
    /// <param name="kestrel">The server's options.</param>
    /// <param name="limits">The limits; null for <see cref="WebhookListenerLimits"/>' defaults.</param>
    /// <returns><paramref name="kestrel"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit Kestrel refuses (a negative size, a timeout that is not positive, a grace period of one second or less).</exception>
    public static KestrelServerOptions UseWabaHooksLimits(this KestrelServerOptions kestrel, WebhookListenerLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        limits ??= new WebhookListenerLimits();
        var set = kestrel.Limits;
        set.MaxConcurrentConnections = limits.MaxConcurrentConnections == 0 ? null : limits.MaxConcurrentConnections;
        set.MaxConcurrentUpgradedConnections = 0;
        set.MaxRequestLineSize = limits.MaxRequestLineBytes;
        set.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
        set.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        set.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        set.KeepAliveTimeout = limits.KeepAliveTimeout;
        set.MinRequestBodyDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, limits.MinBodyDataRateGracePeriod);
        // HTTP/2 (offered on TLS through ALPN) has its own header table; the same bound as HTTP/1.1's headers.
        set.Http2.MaxRequestHeaderFieldSize = limits.MaxRequestHeadersTotalBytes;
        set.Http2.HeaderTableSize = 4096;
        set.Http2.MaxStreamsPerConnection = 100;
        return kestrel;
    }

    /// <summary>
    /// Serves HTTPS on this endpoint (TLS 1.2 or 1.3) and requires Meta's client certificate at the handshake: its chain
    /// must end at a CA of <see cref="MetaClientCertificateOptions.CaFile"/> (that file alone is trusted; an intermediate
    /// the client sends is used, nothing is downloaded), it must be valid now and for client authentication, and its
    /// subject CN one of <see cref="MetaClientCertificateOptions.SubjectNames"/>. Any other client is refused at the
    /// handshake, counted in <c>wabahooks.client_certificates.refused</c> and logged (once per address and reason per
    /// interval) by the <c>WabaHooks.Transport</c> logger.
    /// </summary>
    /// <param name="listen">The endpoint's options.</param>
    /// <param name="serverCertificate">The server certificate, with its private key.</param>
    /// <param name="configure">Sets the CA file, and the accepted names when they are not Meta's.</param>
    /// <returns><paramref name="listen"/>.</returns>
    /// <exception cref="InvalidOperationException">The CA file cannot be read or holds no CA, no subject name is accepted, or <c>AddWabaHooks</c> was not called.</exception>
    public static ListenOptions UseHttpsWithMetaClientCertificate(this ListenOptions listen, X509Certificate2 serverCertificate, Action<MetaClientCertificateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new MetaClientCertificateOptions();
        configure(options);
        var context = SslStreamCertificateContext.Create(serverCertificate, additionalCertificates: null, offline: true);
        return listen.UseHttpsWithMetaClientCertificate(() => context, options);
    }

    /// <summary>
    /// Serves HTTPS on this endpoint and requires Meta's client certificate at the handshake, as
    /// <see cref="UseHttpsWithMetaClientCertificate(ListenOptions, X509Certificate2, Action{MetaClientCertificateOptions})"/>
    /// does, with the server certificate asked for at each new connection: return a renewed certificate and new
    /// connections get it while open ones keep theirs.
    /// </summary>
    /// <param name="listen">The endpoint's options.</param>
    /// <param name="serverCertificate">The server certificate with its chain, for the next handshake.</param>
    /// <param name="options">The CA file and the accepted subject names.</param>
    /// <returns><paramref name="listen"/>.</returns>
    /// <exception cref="InvalidOperationException">The CA file cannot be read or holds no CA, no subject name is accepted, or <c>AddWabaHooks</c> was not called.</exception>
    public static ListenOptions UseHttpsWithMetaClientCertificate(this ListenOptions listen, Func<SslStreamCertificateContext> serverCertificate, MetaClientCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(serverCertificate);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.CaFile))
        {
            throw new InvalidOperationException("MetaClientCertificateOptions.CaFile is not set: give the PEM file of Meta's outbound API CA, downloaded from Meta's webhooks docs.");
        }

        // Null only for options made outside a host (Kestrel sets it before any ConfigureKestrel callback runs).
        var services = (IServiceProvider?)listen.ApplicationServices
            ?? throw new InvalidOperationException("UseHttpsWithMetaClientCertificate needs the application's services: call it inside builder.WebHost.ConfigureKestrel(...).");
        var metrics = services.GetService<WabaHooksMetrics>()
            ?? throw new InvalidOperationException("UseHttpsWithMetaClientCertificate needs WabaHooks' services: call builder.Services.AddWabaHooks(...) first.");
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var problems = new List<string>();
        var client = MetaClientCertificate.Load(options, time, problems, "MetaClientCertificateOptions.CaFile", "MetaClientCertificateOptions.SubjectNames")
            ?? throw new InvalidOperationException(string.Join(" ", problems));

        var refusals = new ClientCertificateRefusals(metrics, services.GetRequiredService<ILoggerFactory>().CreateLogger(ClientCertificateRefusals.LoggerName), time);
        // Its log windows end on their own timers; at shutdown the last counts are written rather than lost.
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(refusals.Dispose);
        return listen.UseHttps(WebhookTls.Handshake(serverCertificate, client, () => refusals));
    }
}
