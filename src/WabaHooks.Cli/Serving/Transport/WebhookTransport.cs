using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.AspNetCore.Transport;
using WabaHooks.Cli.Configuration;
using WabaHooks.Hosting.Diagnostics;

namespace WabaHooks.Cli.Serving.Transport;

/// <summary>
/// What the webhook listener asks of a connection before a request reaches the callback URL: Kestrel's limits, the
/// server certificate (reloaded when its files change), and Meta's client certificate — at the TLS handshake, or in a
/// header from a known proxy that terminated TLS.
/// </summary>
internal sealed class WebhookTransport : IDisposable
{
    private readonly IReadOnlyList<Uri> _urls;
    private readonly WebhookListenerLimits _limits;
    private readonly ServerCertificateSource? _server;
    private readonly MetaClientCertificate? _client;
    private readonly ClientCertificateOptions _clientOptions;
    private readonly HashSet<IPAddress> _proxies;
    private ClientCertificateRefusals? _refusals;

    private WebhookTransport(IReadOnlyList<Uri> urls, WebhookListenerLimits limits, ServerCertificateSource? server, MetaClientCertificate? client, ClientCertificateOptions clientOptions, HashSet<IPAddress> proxies)
    {
        _urls = urls;
        _limits = limits;
        _server = server;
        _client = client;
        _clientOptions = clientOptions;
        _proxies = proxies;
    }

    /// <summary>Whether Meta's client certificate is asked for at the TLS handshake.</summary>
    private bool AtHandshake => _client is not null && _clientOptions.ForwardedHeader is null;

    /// <summary>
    /// Checks the transport settings of <paramref name="serve"/> and reads the certificate files; the problems are added
    /// to <paramref name="errors"/> (the result is then unusable, and only good for the rest of the checks).
    /// </summary>
    public static WebhookTransport Create(ServeOptions serve, IReadOnlyList<Uri> urls, bool hasCertificate, TimeProvider time, ICollection<string> errors)
    {
        ServerCertificateSource? server = null;
        if (hasCertificate)
        {
            try
            {
                server = ServerCertificateSource.Load(serve.HttpsCertificate!, serve.HttpsKey!);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add($"--https-cert/--https-key: cannot load the certificate chain and key ({ex.Message}).");
            }
        }

        var options = serve.ClientCertificate;
        var header = string.IsNullOrWhiteSpace(options.ForwardedHeader) ? null : options.ForwardedHeader.Trim();
        options.ForwardedHeader = header;
        var proxies = new HashSet<IPAddress>();
        foreach (var proxy in options.KnownProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                proxies.Add(Normalize(address));
            }
            else
            {
                errors.Add($"Serve:ClientCertificate:KnownProxies: '{proxy}' is not an IP address. List the addresses your TLS-terminating proxy connects from, e.g. 127.0.0.1.");
            }
        }

        MetaClientCertificate? client = null;
        if (string.IsNullOrWhiteSpace(options.CaFile))
        {
            if (header is not null)
            {
                errors.Add("Serve:ClientCertificate:ForwardedHeader is set but no CA is: give --client-ca with Meta's CA file, so the forwarded certificate can be checked.");
            }
        }
        else
        {
            client = MetaClientCertificate.Load(options, time, errors, "--client-ca", "Serve:ClientCertificate:SubjectNames");
            if (header is null && !urls.Any(u => u.Scheme == Uri.UriSchemeHttps))
            {
                errors.Add("--client-ca asks for Meta's certificate at the TLS handshake, but --urls has no https:// address. Listen on https:// with --https-cert/--https-key, or, behind a proxy that terminates TLS, set Serve:ClientCertificate:ForwardedHeader and KnownProxies.");
            }

            if (header is not null && proxies.Count == 0 && options.KnownProxies.Count == 0)
            {
                errors.Add("Serve:ClientCertificate:ForwardedHeader needs Serve:ClientCertificate:KnownProxies: the addresses of the proxies allowed to forward the certificate (anyone else could write that header).");
            }
        }

        // Limits Kestrel would refuse are left at its defaults: start-up stops on the problems listed, and the host is
        // still built for the rest of the checks.
        var limits = ValidateLimits(serve.Limits, errors) ? serve.Limits : new WebhookListenerLimits();
        return new(urls, limits, server, client, options, proxies);
    }

    /// <summary>Registers what the proxy mode needs: ASP.NET's certificate forwarding, reading the configured header.</summary>
    public void ConfigureServices(IServiceCollection services)
    {
        if (_client is not null && _clientOptions.ForwardedHeader is { } header)
        {
            services.AddCertificateForwarding(o =>
            {
                o.CertificateHeader = header;
                o.HeaderConverter = FromEscapedPem;
            });
        }
    }

    /// <summary>Listens on the URLs with the listener's limits, the server certificate and the handshake check.</summary>
    public void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.UseWabaHooksLimits(_limits);
        foreach (var url in _urls)
        {
            var port = url.Port;
            Action<ListenOptions> configure = url.Scheme == Uri.UriSchemeHttps && _server is { } server
                ? listen => listen.UseHttps(WebhookTls.Handshake(() => server.Current, AtHandshake ? _client : null, () => Refusals(kestrel.ApplicationServices)))
                : _ => { };
            switch (url.Host)
            {
                case "localhost":
                    kestrel.ListenLocalhost(port, configure);
                    break;
                case var host when IPAddress.TryParse(host.Trim('[', ']'), out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any):
                    kestrel.Listen(address, port, configure);
                    break;
                default:
                    // 0.0.0.0, *, + or a host name: every address, as Kestrel reads such URLs.
                    kestrel.ListenAnyIP(port, configure);
                    break;
            }
        }
    }

    /// <summary>Starts watching the certificate files, and in the proxy mode checks the callback URL's requests.</summary>
    public void Use(WebApplication app, string callbackPath)
    {
        _server?.Watch(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WabaHooks.Transport"));
        if (_client is null || _clientOptions.ForwardedHeader is null)
        {
            return;
        }

        var refusals = Refusals(app.Services);
        app.UseWhen(context => context.Request.Path.Equals(callbackPath, StringComparison.OrdinalIgnoreCase), branch =>
        {
            // Before the header is even read: only a known proxy may speak for the client.
            branch.Use((context, next) =>
            {
                var remote = context.Connection.RemoteIpAddress;
                return remote is not null && _proxies.Contains(Normalize(remote))
                    ? next(context)
                    : Forbid(context, refusals, "proxy", "not from a configured proxy (Serve:ClientCertificate:KnownProxies)");
            });
            branch.UseCertificateForwarding();
            branch.Use((context, next) =>
            {
                var reason = _client.Refusal(context.Connection.ClientCertificate, []);
                return reason is null ? next(context) : Forbid(context, refusals, ClientCertificateRefusals.KindOf(reason), reason);
            });
        });
    }

    public void Dispose()
    {
        _server?.Dispose();
        _refusals?.Dispose();
    }

    private ClientCertificateRefusals Refusals(IServiceProvider services) =>
        _refusals ??= new(
            services.GetRequiredService<WabaHooksMetrics>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(ClientCertificateRefusals.LoggerName),
            services.GetRequiredService<TimeProvider>());

    private static Task Forbid(Microsoft.AspNetCore.Http.HttpContext context, ClientCertificateRefusals refusals, string kind, string reason)
    {
        refusals.Refused(kind, reason, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>nginx's <c>$ssl_client_escaped_cert</c>: the URL-escaped PEM of the client's certificate.</summary>
    private static X509Certificate2 FromEscapedPem(string value)
    {
        // Null when it does not read, so the check after it refuses "no client certificate": ASP.NET's middleware
        // would log an exception per request instead.
        try
        {
            return X509Certificate2.CreateFromPem(Uri.UnescapeDataString(value));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or UriFormatException)
        {
            return null!;
        }
    }

    private static bool ValidateLimits(WebhookListenerLimits limits, ICollection<string> errors)
    {
        var before = errors.Count;
        if (limits.MaxConcurrentConnections < 0 || limits.MaxRequestLineBytes < 1024 || limits.MaxRequestHeadersTotalBytes < 1024 || limits.MaxRequestHeaderCount < 8)
        {
            errors.Add("Serve:Limits: MaxConcurrentConnections must not be negative (0 = no limit), MaxRequestLineBytes and MaxRequestHeadersTotalBytes must be at least 1024, MaxRequestHeaderCount at least 8 (the defaults are 10000, 4096, 16384 and 50).");
        }

        if (limits.RequestHeadersTimeout <= TimeSpan.Zero || limits.KeepAliveTimeout <= TimeSpan.Zero || limits.MinBodyDataRateGracePeriod <= TimeSpan.FromSeconds(1) || limits.MinBodyBytesPerSecond <= 0)
        {
            errors.Add("Serve:Limits: RequestHeadersTimeout and KeepAliveTimeout must be positive, MinBodyDataRateGracePeriod more than 1 second (Kestrel's own bound), MinBodyBytesPerSecond positive (the defaults are 10 s, 30 s, 5 s and 1024).");
        }

        return errors.Count == before;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
