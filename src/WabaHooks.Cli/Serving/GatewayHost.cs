using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting;
using WabaHooks.Cli.Configuration;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;

namespace WabaHooks.Cli.Serving;

/// <summary>Builds the gateway web application from validated settings.</summary>
internal static class GatewayHost
{
    public static WebApplication Build(GatewaySettings settings, ResolvedCredentials credentials, X509Certificate2? certificate, IConfiguration configuration)
    {
        // The content root is the program's folder, not the working directory: ASP.NET Core watches the content root
        // for appsettings changes, and a watcher over a data dir that SQLite writes to costs CPU on every commit.
        // No file watching at all: configuration is read once at start-up.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // The HTTP client factory logs every destination request and Graph call at Information; destinations and the
        // watchdog log what matters themselves.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        // The slim builder leaves out HTTPS unless asked: Meta calls only HTTPS endpoints.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls([.. settings.Urls.Select(u => u.GetLeftPart(UriPartial.Authority).Replace("0.0.0.0", "*", StringComparison.Ordinal))]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // For every other route. The callback URL lifts this per request and counts body bytes itself, because
            // Kestrel counts chunk framing too and would refuse chunked bodies well under the limit.
            kestrel.Limits.MaxRequestBodySize = settings.MaxBodyBytes;
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });

        var wabaHooks = builder.Services
            .AddWabaHooks(options =>
            {
                options.VerifyToken = credentials.VerifyToken;
                foreach (var secret in credentials.AppSecrets)
                {
                    options.AppSecrets.Add(secret);
                }

                options.MaxBodyBytes = settings.MaxBodyBytes;
            });
        if (settings.Postgres is { } postgres)
        {
            wabaHooks.UseStore(_ => new PostgresStore(new PostgresStoreOptions { ConnectionString = postgres }));
        }
        else
        {
            var sqlite = SqliteStoreOptions.ForDataDirectory(settings.DataDir);
            sqlite.FreeSpaceReserveBytes = settings.FreeSpaceReserveBytes;
            wabaHooks.UseSqlite(sqlite);
        }

        if (settings.Watch.WabaIds.Count > 0)
        {
            wabaHooks.AddSubscriptionWatchdog(options => WatchdogSetup.Apply(settings.Watch, options));
        }

        foreach (var destination in settings.Destinations)
        {
            wabaHooks.AddDestination(destination);
        }

        var app = builder.Build();
        app.MapWabaHooks(settings.Path);
        app.MapWabaHooksHealth(includeDetails: settings.ReadyzDetails);
        return app;
    }
}
