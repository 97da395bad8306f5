using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Serving.Transport;

namespace WabaHooks.Cli.Serving;

/// <summary>
/// Builds the gateway web application exactly as a library user would: <c>AddWabaHooks(configuration section)</c>, the
/// store and watchdog from their sub-sections, <c>MapWabaHooks</c> and <c>MapWabaHooksHealth</c>.
/// </summary>
internal static class GatewayHost
{
    private const long OtherRoutesMaxBodyBytes = 64 * 1024;

    public static WebApplication Build(IConfiguration configuration, ServeOptions serve, WebhookTransport transport, bool postgres, bool prometheus = false)
    {
        // The content root is the program's folder, not the working directory: ASP.NET Core watches the content root
        // for appsettings changes, and a watcher over a data dir that SQLite writes to costs CPU on every commit.
        // No file watching here: the configuration file is watched by whoever built the configuration passed in (serve
        // watches it so secrets rotate), and the content root holds no settings.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        builder.Logging.ClearProviders();
        if (serve.LogFormat == LogFormat.Json)
        {
            // Scopes carry the request's trace and span ids (ActivityTrackingOptions), so each line can be joined to
            // its trace; the entry's own fields (DeliveryId, EventId, Destination…) are in "State".
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });

            // While any level of this category is on, ASP.NET Core starts an Activity and a log scope for every request,
            // only for log lines to carry them: simple lines show neither, and it writes nothing above Information but
            // a startup failure, which reaches serve as the exception itself. (JSON lines keep them: their scopes carry the
            // trace ids.)
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // The HTTP client factory logs every destination request and Graph call at Information; destinations and the
        // watchdog log what matters themselves.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        if (serve.Verbose)
        {
            // The per-delivery and per-attempt lines are WabaHooks' Debug level; a library user turns them on the same
            // way, with "Logging:LogLevel:WabaHooks": "Debug".
            builder.Logging.AddFilter("WabaHooks", LogLevel.Debug);
        }


        // The slim builder leaves out HTTPS unless asked: Meta calls only HTTPS endpoints.
        builder.WebHost.UseKestrelHttpsConfiguration();
        // The addresses are bound by the transport (per-connection TLS needs each endpoint's own options).
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // For every other route, which take no body (health). The callback URL lifts this per request and counts
            // body bytes itself against MaxBodyBytes, because Kestrel counts chunk framing too and would refuse chunked
            // bodies well under the limit. Not read from the options here: Kestrel is configured while the app is built,
            // before start-up validation has reported every problem in the settings.
            kestrel.Limits.MaxRequestBodySize = OtherRoutesMaxBodyBytes;
            transport.ConfigureKestrel(kestrel);
        });
        transport.ConfigureServices(builder.Services);

        GatewayServices.Add(builder.Services, configuration, postgres);

        GatewayTelemetry.Add(builder, prometheus);

        var app = builder.Build();
        transport.Use(app, serve.Path);
        app.MapWabaHooks(serve.Path);
        app.MapWabaHooksHealth(includeDetails: serve.ReadyzDetails);
        return app;
    }
}
