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

        var command = new Command("serve", "Run the webhook gateway: verify, store durably, answer 200.");
        common.AddTo(command);
        command.Options.Add(urls);
        command.Options.Add(path);
        command.Options.Add(verifyToken);
        command.Options.Add(appSecret);
        command.Options.Add(maxBody);
        command.Options.Add(httpsCert);
        command.Options.Add(httpsKey);

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
            };
            var secrets = parse.GetValue(appSecret) ?? [];
            for (var i = 0; i < secrets.Length; i++)
            {
                values.Add(($"{ConfigurationKeys.AppSecret}:{i.ToString(CultureInfo.InvariantCulture)}", secrets[i]));
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
            StartupBanner.Write(Console.Out, addresses, settings.Path, credentials, settings.DataDir, settings.Postgres);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
