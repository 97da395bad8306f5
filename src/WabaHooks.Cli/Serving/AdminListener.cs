using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Cli.Configuration;
using WabaHooks.Hosting.Admin;

namespace WabaHooks.Cli.Serving;

/// <summary>
/// The admin listener (<c>--admin-urls</c>, default <c>http://127.0.0.1:8081</c>): the admin API, its login page and live
/// stream, and Prometheus <c>/metrics</c>, on an application of its own beside the webhook listener, so nothing an
/// operator sees is reachable through the callback URL. It serves the gateway's own store, sinks and meters: the
/// services are the gateway's, handed over, not a second set.
/// </summary>
internal sealed class AdminListener : IAsyncDisposable
{
    public const string MetricsPath = "/metrics";

    private readonly WebApplication _app;

    private AdminListener(WebApplication app) => _app = app;

    /// <summary>Where the listener is, once started (http://HOST:PORT, no trailing slash).</summary>
    public IReadOnlyList<string> Addresses =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => a.TrimEnd('/'))];

    /// <summary>The addresses of <see cref="WabaHooksAdminOptions.Urls"/>, checked; none when it is empty (off).</summary>
    public static IReadOnlyList<Uri> Urls(string configured, ICollection<string> errors)
    {
        var urls = new List<Uri>();
        foreach (var part in configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                errors.Add($"--admin-urls '{part}': each address must be http://HOST:PORT, separated by ';' (default {WabaHooksAdminOptions.DefaultUrls}; --no-admin turns the listener off).");
                continue;
            }

            urls.Add(uri);
        }

        ServeChecks.CheckPortsFree(urls, errors, "--admin-urls");
        return urls;
    }

    /// <summary>Whether every address is on this machine only (loopback): the admin surface may then open with a generated token.</summary>
    public static bool AllLoopback(IEnumerable<Uri> urls) =>
        urls.All(u => u.IsLoopback || (IPAddress.TryParse(u.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

    /// <summary>Starts the admin surface of <paramref name="gateway"/> at <paramref name="urls"/>.</summary>
    /// <param name="gateway">The gateway whose services it serves.</param>
    /// <param name="urls">Where it listens.</param>
    /// <param name="prometheus">Whether it serves <c>/metrics</c>.</param>
    /// <param name="keys">Where the data-protection keys of its session cookies and antiforgery tokens are kept.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<AdminListener> StartAsync(WebApplication gateway, IReadOnlyList<Uri> urls, bool prometheus, DirectoryInfo keys, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Nothing from the environment or files: the gateway bound every setting; this application borrows its services.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. urls.Select(u => u.GetLeftPart(UriPartial.Authority).Replace("0.0.0.0", "*", StringComparison.Ordinal))]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Action bodies are small JSON documents and the login form.
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });

        var services = gateway.Services;
        builder.Services.AddSingleton(services.GetRequiredService<TimeProvider>());
        builder.Services.AddSingleton(services.GetRequiredService<WabaHooksQueries>());
        builder.Services.AddSingleton(services.GetRequiredService<WabaHooksOperations>());
        builder.Services.AddSingleton(services.GetRequiredService<BulkJobs>());
        // The gateway's monitor: tokens re-read there when its configuration changes are the ones checked here.
        builder.Services.AddSingleton(services.GetRequiredService<IOptionsMonitor<WabaHooksAdminOptions>>());
        // Kept in the data directory, so a login survives a restart (see LocalAdminKeys); the application name
        // isolates these keys' purposes from any other application given the same folder.
        builder.Services.AddDataProtection().SetApplicationName("wabahooks-admin").PersistKeysToFileSystem(keys);
        builder.Services.AddWabaHooksAdminServices();
        builder.Services.AddWabaHooksDashboardServices();

        var app = builder.Build();
        if (prometheus)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(
                services.GetRequiredService<MeterProvider>(), predicate: context => context.Request.Path == MetricsPath, path: null, configureBranchedPipeline: null, optionsName: null);
        }

        // The dashboard's pages at the root, over the admin API it maps under /api.
        app.MapWabaHooksDashboard("").RequireAuthorization(WabaHooksAdminPolicies.Viewer);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new AdminListener(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
