using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Serving;
using WabaHooks.Cli.Serving.Transport;
using WabaHooks.Graph.Watchdog;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Destinations;
using Microsoft.Extensions.Configuration;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks serve</c>: runs the gateway.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        // The file is watched: app secrets and verify tokens rotate in a running serve.
        var common = new CommonOptions { WatchConfigFile = true };
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on, separated by ';' [default: {ServeOptions.DefaultUrls}]." };
        var path = new Option<string?>("--path") { Description = "The callback path [default: /webhook]." };
        var verifyToken = new Option<string?>("--verify-token") { Description = "The verify token entered in Meta's App Dashboard [default: generated once and kept in the data dir]." };
        var appSecret = new Option<string[]>("--app-secret")
        {
            Description = "A Meta app secret, as SECRET or APP_ID:SECRET. Repeat for several apps or during a rotation.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var maxBody = new Option<string?>("--max-body-bytes") { Description = "Largest accepted body in bytes [default: 4194304; from 1024 to 2147483647]." };
        var reserve = new Option<string?>("--free-space-reserve-bytes")
        {
            Description = "SQLite: answer 503 to new deliveries while the data directory's disk has less free space than this, so checkpoints and processing can still run; 0 turns it off [default: 67108864].",
        };
        var httpsCert = new Option<string?>("--https-cert") { Description = "PEM certificate (full chain) for https:// addresses." };
        var httpsKey = new Option<string?>("--https-key") { Description = "PEM private key of --https-cert." };
        var clientCa = new Option<string?>("--client-ca")
        {
            Description = "Require Meta's client certificate (mutual TLS), issued under the CA in this PEM file (Meta's outbound API CA) [default: not required].",
        };
        var watchWabaId = new Option<string[]>("--watch-waba-id")
        {
            Description = "A WABA whose subscribed_apps the watchdog checks, and whose silence it reports. Repeat for several [default: none, watchdog off].",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var watchAppId = new Option<string?>("--watch-app-id") { Description = "The app that must stay subscribed [default: any app; an empty list warns]." };
        var accessToken = new Option<string?>("--access-token") { Description = "Graph token for the watchdog (system user, whatsapp_business_management) [default: $WABAHOOKS_ACCESS_TOKEN]. Never printed." };
        var graphUrl = new Option<string?>("--graph-url") { Description = "The Graph API base URL, for tests and private deployments [default: https://graph.facebook.com]." };
        var checkInterval = new Option<string?>("--subscription-check-interval") { Description = "How often the watchdog checks, in seconds or as a TimeSpan [default: 900]." };
        var readyzDetails = new Option<bool>("--readyz-details")
        {
            Description = "Show the store's error, the watchdog's WABAs and each destination's circuit on /readyz. Off by default: /readyz is reachable wherever the callback URL is.",
        };
        var adminUrls = new Option<string?>("--admin-urls")
        {
            Description = $"Addresses of the admin listener (admin API, login, live stream, Prometheus /metrics), separated by ';' [default: {WabaHooksAdminOptions.DefaultUrls}]. Off loopback it needs configured Admin tokens.",
        };
        var noAdmin = new Option<bool>("--no-admin") { Description = "Run no admin listener (no admin API, no /metrics)." };
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Log a line per processed delivery (id, size, app, events) and per destination attempt.",
        };
        var logFormat = new Option<string?>("--log-format") { Description = "simple (readable lines) or json (one object a line, for log shippers) [default: simple]." };
        var retention = new Option<string?>("--retention") { Description = "Keep processed deliveries, events and attempts this long, in seconds or as a TimeSpan (dead letters and the audit log follow Retention:DeadLetters and Retention:AuditLog) [default: 30.00:00:00]." };
        var noRetention = new Option<bool>("--no-retention") { Description = "Keep everything: no background pruning (the store then grows without bound)." };
        var silenceWarning = new Option<string?>("--silence-warning") { Description = "Warn when a watched WABA or phone number has had no event this long, in seconds or as a TimeSpan; 0 turns it off [default: 3600]." };

        var command = new Command("serve", "Run the webhook gateway: verify, store durably, answer 200.");
        common.AddTo(command);
        command.Options.Add(urls);
        command.Options.Add(path);
        command.Options.Add(verifyToken);
        command.Options.Add(appSecret);
        command.Options.Add(maxBody);
        command.Options.Add(reserve);
        command.Options.Add(httpsCert);
        command.Options.Add(httpsKey);
        command.Options.Add(clientCa);
        command.Options.Add(watchWabaId);
        command.Options.Add(watchAppId);
        command.Options.Add(accessToken);
        command.Options.Add(graphUrl);
        command.Options.Add(checkInterval);
        command.Options.Add(silenceWarning);
        command.Options.Add(readyzDetails);
        command.Options.Add(retention);
        command.Options.Add(noRetention);
        command.Options.Add(adminUrls);
        command.Options.Add(noAdmin);
        command.Options.Add(verbose);
        command.Options.Add(logFormat);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var values = new List<(string, string?)>
            {
                (CliConfiguration.Key("Serve", "Urls"), parse.GetValue(urls)),
                (CliConfiguration.Key("Serve", "Path"), parse.GetValue(path)),
                (CliConfiguration.Key("Serve", "HttpsCertificate"), parse.GetValue(httpsCert)),
                (CliConfiguration.Key("Serve", "HttpsKey"), parse.GetValue(httpsKey)),
                (CliConfiguration.Key("Serve", "ClientCertificate", "CaFile"), parse.GetValue(clientCa)),
                (CliConfiguration.Key("Serve", "ReadyzDetails"), parse.GetValue(readyzDetails) ? "true" : null),
                (CliConfiguration.Key("Admin", "Urls"), parse.GetValue(noAdmin) ? "" : parse.GetValue(adminUrls)),
                (CliConfiguration.Key("Serve", "Verbose"), parse.GetValue(verbose) ? "true" : null),
                (CliConfiguration.Key("Serve", "LogFormat"), parse.GetValue(logFormat)),
                (CliConfiguration.Key("VerifyToken"), parse.GetValue(verifyToken)),
                (CliConfiguration.Key("MaxBodyBytes"), parse.GetValue(maxBody)),
                (CliConfiguration.Key("Sqlite", "FreeSpaceReserveBytes"), parse.GetValue(reserve)),
                (CliConfiguration.Key("Watchdog", "AppId"), parse.GetValue(watchAppId)),
                (CliConfiguration.Key("Watchdog", "Graph", "AccessToken"), parse.GetValue(accessToken)),
                (CliConfiguration.Key("Watchdog", "Graph", "BaseUrl"), parse.GetValue(graphUrl)),
                (CliConfiguration.Key("Watchdog", "SubscriptionCheckInterval"), parse.GetValue(checkInterval)),
                (CliConfiguration.Key("Watchdog", "SilenceWarning"), parse.GetValue(silenceWarning)),
                (CliConfiguration.Key("Retention", "Deliveries"), parse.GetValue(retention)),
                (CliConfiguration.Key("Retention", "Events"), parse.GetValue(retention)),
                (CliConfiguration.Key("Retention", "Attempts"), parse.GetValue(retention)),
                (CliConfiguration.Key("Retention", "Enabled"), parse.GetValue(noRetention) ? "false" : null),
            };
            AddList(values, CliConfiguration.Key("AppSecrets"), parse.GetValue(appSecret));
            AddList(values, CliConfiguration.Key("Watchdog", "WabaIds"), parse.GetValue(watchWabaId));
            if (parse.GetValue(verifyToken) is { } token && string.IsNullOrWhiteSpace(token))
            {
                errors.Add("--verify-token is empty: give the token you enter in Meta's App Dashboard, or leave it out to have one generated.");
            }

            var configuration = common.Load(parse, errors, [.. values]);
            var serve = new ServeOptions();
            var serveSection = configuration.GetSection(CliConfiguration.Key("Serve"));
            SettingsBinder.Bind(serveSection, serve, serveSection.Path, errors);
            var listenOn = ServeChecks.Urls(serve, errors);
            ServeChecks.Path(serve, errors);
            var adminSettings = new WabaHooksAdminOptions();
            var adminSection = configuration.GetSection(CliConfiguration.Key("Admin"));
            SettingsBinder.Bind(adminSection, adminSettings, adminSection.Path, new List<string>()); // Its problems are reported with the gateway's.
            var adminOn = AdminListener.Urls(adminSettings.Urls, errors);
            bool hasCertificate;
            using (var certificate = ServeChecks.Certificate(serve, listenOn, errors))
            {
                hasCertificate = certificate is not null;
            }

            using var transport = WebhookTransport.Create(serve, listenOn, hasCertificate, TimeProvider.System, errors);
            var postgres = CliConfiguration.Postgres(configuration, errors);
            var dataDir = CliConfiguration.DataDir(configuration);
            var dataDirUsable = errors.Count;
            ServeChecks.DataDir(dataDir, errors);

            // Generated credentials, only where none are configured, and only in a data directory that can hold them.
            var credentials = errors.Count == dataDirUsable ? ResolvedCredentials.From(configuration, dataDir) : new ResolvedCredentials(null, null, "");
            var defaults = new Dictionary<string, string?>(credentials.AsConfiguration());
            var adminTokenConfigured = !string.IsNullOrEmpty(adminSettings.OperatorToken) || !string.IsNullOrEmpty(adminSettings.ViewerToken);
            string? generatedAdminToken = null;
            if (adminOn.Count > 0 && !adminTokenConfigured)
            {
                if (!AdminListener.AllLoopback(adminOn))
                {
                    errors.Add($"--admin-urls '{adminSettings.Urls}' is reachable from other machines, and no admin token is configured: set WabaHooks:Admin:OperatorToken (and ViewerToken for read-only users), keep the admin listener on 127.0.0.1, or give --no-admin.");
                }
                else if (errors.Count == dataDirUsable)
                {
                    // Like the local credentials: generated once, kept in the data directory, printed as a login link.
                    generatedAdminToken = LocalAdminToken.LoadOrCreate(dataDir);
                    defaults[CliConfiguration.Key("Admin", "OperatorToken")] = generatedAdminToken;
                }
            }
            if (postgres is null)
            {
                defaults[CliConfiguration.Key("Sqlite", "DataDirectory")] = dataDir;
            }

            // Built even when the checks above failed, so the settings' own validation adds its problems to the list:
            // every problem is reported at once.
            var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(defaults).Build();
            await using var app = GatewayHost.Build(effective, serve, transport, postgres is not null, prometheus: adminOn.Count > 0);
            errors.AddRange(ValidationFailures(app.Services));
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("serve", errors);
            }

            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // Kestrel's bind failure after our own check: another process took the port in between.
                return CommonOptions.Fail("serve", [$"--urls: cannot listen ({ex.Message}). Choose a free port."]);
            }

            await using var admin = adminOn.Count > 0 ? await AdminListener.StartAsync(app, adminOn, prometheus: true, LocalAdminKeys.Prepare(dataDir), cancellationToken).ConfigureAwait(false) : null;
            var adminLines = (admin?.Addresses ?? []).Select(a => generatedAdminToken is null
                ? $"{a}/login   (log in with your configured admin token; admin API at {a}/api/)"
                : $"{a}/login?t={generatedAdminToken}   (operator; token kept in {LocalAdminToken.PathIn(dataDir)})").ToList();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            StartupBanner.Write(
                serve.LogFormat == LogFormat.Json ? Console.Error : Console.Out,
                addresses,
                serve.Path,
                credentials,
                app.Services.GetRequiredService<IOptions<WabaHooksOptions>>().Value,
                dataDir,
                postgres,
                app.Services.GetService<IOptions<WatchdogOptions>>()?.Value,
                app.Services.GetServices<DestinationOptions>(),
                (admin?.Addresses ?? []).Select(a => a + AdminListener.MetricsPath),
                adminLines);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void AddList(List<(string, string?)> values, string key, string[]? items)
    {
        for (var i = 0; i < (items?.Length ?? 0); i++)
        {
            values.Add(($"{key}:{i.ToString(CultureInfo.InvariantCulture)}", items![i]));
        }
    }

    /// <summary>Every settings problem, of every options type, as start-up would find them; empty when all are valid.</summary>
    private static List<string> ValidationFailures(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
    }
}
