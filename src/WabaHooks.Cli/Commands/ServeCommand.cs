using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Serving;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks serve</c>: runs the gateway.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on, separated by ';' [default: {GatewaySettings.DefaultUrls}]." };
        var path = new Option<string?>("--path") { Description = $"The callback path [default: {GatewaySettings.DefaultPath}]." };
        var verifyToken = new Option<string?>("--verify-token") { Description = "The verify token entered in Meta's App Dashboard [default: generated once and kept in the data dir]." };
        var appSecret = new Option<string[]>("--app-secret")
        {
            Description = "A Meta app secret, as SECRET or APP_ID:SECRET. Repeat for several apps or during a rotation.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var maxBody = new Option<string?>("--max-body-bytes") { Description = "Largest accepted body in bytes [default: 4194304; at least 3145728]." };
        var httpsCert = new Option<string?>("--https-cert") { Description = "PEM certificate (full chain) for https:// addresses." };
        var httpsKey = new Option<string?>("--https-key") { Description = "PEM private key of --https-cert." };
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
        var silenceWarning = new Option<string?>("--silence-warning") { Description = "Warn when a watched WABA or phone number has had no event this long, in seconds or as a TimeSpan; 0 turns it off [default: 3600]." };

        var command = new Command("serve", "Run the webhook gateway: verify, store durably, answer 200.");
        common.AddTo(command);
        command.Options.Add(urls);
        command.Options.Add(path);
        command.Options.Add(verifyToken);
        command.Options.Add(appSecret);
        command.Options.Add(maxBody);
        command.Options.Add(httpsCert);
        command.Options.Add(httpsKey);
        command.Options.Add(watchWabaId);
        command.Options.Add(watchAppId);
        command.Options.Add(accessToken);
        command.Options.Add(graphUrl);
        command.Options.Add(checkInterval);
        command.Options.Add(silenceWarning);
        command.Options.Add(readyzDetails);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var values = new List<(string, string?)>
            {
                (ConfigurationKeys.Urls, parse.GetValue(urls)),
                (ConfigurationKeys.Path, parse.GetValue(path)),
                (ConfigurationKeys.VerifyToken, parse.GetValue(verifyToken)),
                (ConfigurationKeys.MaxBodyBytes, parse.GetValue(maxBody)),
                (ConfigurationKeys.HttpsCert, parse.GetValue(httpsCert)),
                (ConfigurationKeys.HttpsKey, parse.GetValue(httpsKey)),
                (ConfigurationKeys.WatchAppId, parse.GetValue(watchAppId)),
                (ConfigurationKeys.AccessToken, parse.GetValue(accessToken)),
                (ConfigurationKeys.GraphUrl, parse.GetValue(graphUrl)),
                (ConfigurationKeys.SubscriptionCheckInterval, parse.GetValue(checkInterval)),
                (ConfigurationKeys.SilenceWarning, parse.GetValue(silenceWarning)),
                (ConfigurationKeys.ReadyzDetails, parse.GetValue(readyzDetails) ? "true" : null),
            };
            var secrets = parse.GetValue(appSecret) ?? [];
            for (var i = 0; i < secrets.Length; i++)
            {
                values.Add(($"{ConfigurationKeys.AppSecret}:{i.ToString(CultureInfo.InvariantCulture)}", secrets[i]));
            }

            var watched = parse.GetValue(watchWabaId) ?? [];
            for (var i = 0; i < watched.Length; i++)
            {
                values.Add(($"{ConfigurationKeys.WatchWabaId}:{i.ToString(CultureInfo.InvariantCulture)}", watched[i]));
            }

            var configuration = common.Load(parse, errors, [.. values]);
            var settings = SettingsLoader.Read(configuration, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("serve", errors);
            }

            var credentials = ResolvedCredentials.From(settings);
            using var certificate = SettingsLoader.LoadCertificate(settings, errors);
            await using var app = GatewayHost.Build(settings, credentials, certificate, configuration);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                return CommonOptions.Fail("serve", [.. ex.Failures]);
            }
            catch (IOException ex)
            {
                // Kestrel's bind failure after our own check: another process took the port in between.
                return CommonOptions.Fail("serve", [$"--urls: cannot listen ({ex.Message}). Choose a free port."]);
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            StartupBanner.Write(Console.Out, addresses, settings.Path, credentials, settings.DataDir, settings.Postgres, settings.Watch, settings.Destinations);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
