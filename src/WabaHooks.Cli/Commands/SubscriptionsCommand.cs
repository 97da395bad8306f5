using System.CommandLine;
using WabaHooks.Cli.Subscriptions;
using WabaHooks.Cli.Output;
using WabaHooks.Graph;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks subscriptions list</c>: what Meta has on record, for an app, a WABA or a phone number.</summary>
internal static class SubscriptionsCommand
{
    public static Command Create()
    {
        var command = new Command("subscriptions", "Read webhook subscriptions from the Graph API.");
        command.Subcommands.Add(CreateList());
        return command;
    }

    private static Command CreateList()
    {
        var graph = new GraphCommandOptions();
        var appId = new Option<string?>("--app-id") { Description = "List the app's subscriptions: GET /{app-id}/subscriptions (app access token)." };
        var appSecret = new Option<string?>("--app-secret") { Description = "With --app-id: the app secret; the app access token APP_ID|SECRET is built from it. Never printed." };
        var wabaId = new Option<string?>("--waba-id") { Description = "List the apps subscribed to a WABA and its override: GET /{waba-id}/subscribed_apps." };
        var phoneNumberId = new Option<string?>("--phone-number-id") { Description = "Show a phone number's webhook_configuration: GET /{phone-number-id}." };
        var command = new Command("list", "List subscriptions: give exactly one of --app-id, --waba-id, --phone-number-id.");
        command.Options.Add(appId);
        command.Options.Add(appSecret);
        command.Options.Add(wabaId);
        command.Options.Add(phoneNumberId);
        graph.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "subscriptions list";
            var errors = new List<string>();
            var app = parse.GetValue(appId);
            var waba = parse.GetValue(wabaId);
            var phone = parse.GetValue(phoneNumberId);
            if (new[] { app, waba, phone }.Count(v => !string.IsNullOrWhiteSpace(v)) != 1)
            {
                return CommonOptions.Fail(name, ["Give exactly one of --app-id, --waba-id or --phone-number-id."]);
            }

            string? appToken = null;
            if (app is not null && parse.GetValue(appSecret) is { Length: > 0 } secret)
            {
                try
                {
                    appToken = GraphClientOptions.CreateAppAccessToken(app, secret);
                }
                catch (ArgumentException)
                {
                    errors.Add("--app-id must be a Meta app id (digits, no '|') to build the app access token from --app-secret.");
                }
            }

            var options = graph.Build(parse, errors, forApp: app is not null, appToken);
            if (errors.Count > 0 || options is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            return await GraphCall.RunAsync(name, options, async client =>
            {
                if (app is not null)
                {
                    var subscriptions = await client.GetAppSubscriptionsAsync(app, cancellationToken).ConfigureAwait(false);
                    var table = new TextTable("OBJECT", "ACTIVE", "CALLBACK URL", "FIELDS (VERSION)");
                    foreach (var s in subscriptions)
                    {
                        table.Add(s.Object, s.Active ? "yes" : "NO", s.CallbackUrl ?? "", string.Join(", ", s.Fields.Select(f => f.Version is null ? f.Name : $"{f.Name} ({f.Version})")));
                    }

                    table.Write(Console.Out);
                    if (!subscriptions.Any(s => s.Object == GraphClient.WhatsAppBusinessAccountObject))
                    {
                        Console.Out.WriteLine($"App {app} has no whatsapp_business_account subscription: Meta sends it no WhatsApp webhooks.");
                    }
                }
                else if (waba is not null)
                {
                    var apps = await client.GetWabaSubscriptionsAsync(waba, cancellationToken).ConfigureAwait(false);
                    var table = new TextTable("APP ID", "APP NAME", "OVERRIDE CALLBACK URI");
                    foreach (var a in apps)
                    {
                        table.Add(a.WhatsAppBusinessApiData?.Id ?? "", a.WhatsAppBusinessApiData?.Name ?? "", a.OverrideCallbackUri ?? "");
                    }

                    table.Write(Console.Out);
                    if (apps.Count == 0)
                    {
                        Console.Out.WriteLine($"No app is subscribed to WABA {waba}: Meta delivers none of its webhooks.");
                    }
                }
                else
                {
                    var configuration = await client.GetPhoneNumberWebhookConfigurationAsync(phone!, cancellationToken).ConfigureAwait(false);
                    var hooks = configuration.WebhookConfiguration;
                    var table = new TextTable("LEVEL", "CALLBACK");
                    table.Add("phone_number", hooks?.PhoneNumber ?? "");
                    table.Add("whatsapp_business_account", hooks?.WhatsAppBusinessAccount ?? "");
                    table.Add("application", hooks?.Application ?? "");
                    table.Write(Console.Out);
                    var inForce = hooks?.PhoneNumber ?? hooks?.WhatsAppBusinessAccount ?? hooks?.Application;
                    Console.Out.WriteLine(inForce is null
                        ? $"Phone number {configuration.Id ?? phone}: no callback is set at any level."
                        : $"Phone number {configuration.Id ?? phone}: messages webhooks go to {inForce}.");
                }
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
