using System.CommandLine;
using WabaHooks.Cli.Subscriptions;

namespace WabaHooks.Cli.Commands;

/// <summary><c>wabahooks unsubscribe app|waba|phone</c>: removes subscriptions and overrides.</summary>
internal static class UnsubscribeCommand
{
    public static Command Create()
    {
        var command = new Command("unsubscribe", "Remove a webhook subscription or override through the Graph API.");
        command.Subcommands.Add(CreateApp());
        command.Subcommands.Add(CreateWaba());
        command.Subcommands.Add(CreatePhone());
        return command;
    }

    private static Command CreateApp()
    {
        var graph = new GraphCommandOptions();
        var app = new AppTokenOption();
        var fields = new Option<string?>("--fields") { Description = "Remove only these fields, comma-separated, or all for every field Meta documents [default: the whole whatsapp_business_account subscription]." };
        var command = new Command("app", "DELETE /{app-id}/subscriptions for whatsapp_business_account.");
        app.AddTo(command);
        command.Options.Add(fields);
        graph.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "unsubscribe app";
            var errors = new List<string>();
            // Any name may be removed, documented or not: an old or misspelt subscription must be removable.
            var fieldList = parse.GetValue(fields) is { } given ? WebhookFieldList.Resolve(given, "--fields", errors, onlyDocumented: false) : null;
            var options = graph.Build(parse, errors, forApp: true, app.AppAccessToken(parse, errors));
            if (errors.Count > 0 || options is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            var appId = parse.GetValue(app.AppId)!;
            var code = await GraphCall.RunAsync(name, options, c => c.UnsubscribeAppAsync(appId, fieldList, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (code == ExitCodes.Success)
            {
                Console.Out.WriteLine(fieldList is null
                    ? $"App {appId} is no longer subscribed to whatsapp_business_account."
                    : $"App {appId} is no longer subscribed to {string.Join(",", fieldList)}.");
            }

            return code;
        });
        return command;
    }

    private static Command CreateWaba()
    {
        var graph = new GraphCommandOptions();
        var wabaId = new Option<string>("--waba-id") { Description = "The WhatsApp Business Account id.", Required = true };
        var overrideOnly = new Option<bool>("--override-only") { Description = "Remove only the WABA-level override callback; the app stays subscribed." };
        var command = new Command("waba", "DELETE /{waba-id}/subscribed_apps, or with --override-only remove the WABA's override callback.");
        command.Options.Add(wabaId);
        command.Options.Add(overrideOnly);
        graph.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "unsubscribe waba";
            var errors = new List<string>();
            var options = graph.Build(parse, errors);
            if (errors.Count > 0 || options is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            var waba = parse.GetValue(wabaId)!;
            if (parse.GetValue(overrideOnly))
            {
                var removed = await GraphCall.RunAsync(name, options, c => c.RemoveWabaOverrideAsync(waba, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (removed == ExitCodes.Success)
                {
                    Console.Out.WriteLine($"WABA {waba}: override removed; its messages webhooks go to the app's callback URL again.");
                }

                return removed;
            }

            var code = await GraphCall.RunAsync(name, options, c => c.UnsubscribeWabaAsync(waba, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (code == ExitCodes.Success)
            {
                Console.Out.WriteLine($"The app is no longer subscribed to WABA {waba}: Meta sends it none of that WABA's webhooks.");
            }

            return code;
        });
        return command;
    }

    private static Command CreatePhone()
    {
        var graph = new GraphCommandOptions();
        var phoneNumberId = new Option<string>("--phone-number-id") { Description = "The phone-number id.", Required = true };
        var command = new Command("phone", "Remove the phone-number-level override: POST /{phone-number-id} with an empty override_callback_uri.");
        command.Options.Add(phoneNumberId);
        graph.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "unsubscribe phone";
            var errors = new List<string>();
            var options = graph.Build(parse, errors);
            if (errors.Count > 0 || options is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            var phone = parse.GetValue(phoneNumberId)!;
            var code = await GraphCall.RunAsync(name, options, c => c.RemovePhoneNumberOverrideAsync(phone, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (code == ExitCodes.Success)
            {
                Console.Out.WriteLine($"Phone number {phone}: override removed; its messages webhooks follow the WABA or app callback again.");
            }

            return code;
        });
        return command;
    }
}
