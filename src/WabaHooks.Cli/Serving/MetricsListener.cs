using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Serving;

/// <summary>
/// <c>/metrics</c> for Prometheus on a listener of its own (<c>--metrics-urls</c>), apart from the callback URL that
/// faces Meta. It serves the gateway's own meter provider: one set of metrics, two listeners.
/// </summary>
internal sealed class MetricsListener : IAsyncDisposable
{
    public const string Path = "/metrics";

    private readonly WebApplication _app;

    private MetricsListener(WebApplication app) => _app = app;

    /// <summary>Where <c>/metrics</c> is served, once started.</summary>
    public IReadOnlyList<string> Addresses =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => a.TrimEnd('/') + Path)];

    /// <summary>The addresses of <see cref="ServeOptions.MetricsUrls"/>, checked; none when it is empty (off).</summary>
    public static IReadOnlyList<Uri> Urls(ServeOptions serve, ICollection<string> errors)
    {
        var urls = new List<Uri>();
        foreach (var part in serve.MetricsUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            {
                errors.Add($"--metrics-urls '{part}': each address must be http://HOST:PORT, separated by ';' (default {ServeOptions.DefaultMetricsUrls}; empty turns metrics off).");
                continue;
            }

            urls.Add(uri);
        }

        ServeChecks.CheckPortsFree(urls, errors, "--metrics-urls");
        return urls;
    }

    /// <summary>Starts serving the Prometheus exporter of <paramref name="gateway"/>'s meter provider at <paramref name="urls"/>.</summary>
    public static async Task<MetricsListener> StartAsync(WebApplication gateway, IReadOnlyList<Uri> urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Nothing from the environment or files: this listener is configured by --metrics-urls alone.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. urls.Select(u => u.GetLeftPart(UriPartial.Authority).Replace("0.0.0.0", "*", StringComparison.Ordinal))]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
        });
        var app = builder.Build();
        var meterProvider = gateway.Services.GetRequiredService<MeterProvider>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider, predicate: context => context.Request.Path == Path, path: null, configureBranchedPipeline: null, optionsName: null);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new MetricsListener(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
