using System.CommandLine;
using WabaHooks.Cli.Subscriptions;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks subscribe app|waba|phone</c>: asks Meta to deliver webhooks, after checking that the callback URL
/// would pass Meta's verification request.
/// </summary>
internal static class SubscribeCommand
{
    public static Command Create()
    {
        var command = new Command("subscribe", "Subscribe to WhatsApp webhooks through the Graph API: the app, a WABA, or a phone-number override.");
        command.Subcommands.Add(CreateApp());
        command.Subcommands.Add(CreateWaba());
        command.Subcommands.Add(CreatePhone());
        return command;
    }

    private static Command CreateApp()
    {
        var graph = new GraphCommandOptions();
        var app = new AppTokenOption();
        var preflight = new Preflight();
        var callbackUrl = new Option<string>("--callback-url") { Description = "Where Meta delivers, an https URL.", Required = true };
        var verifyToken = new Option<string>("--verify-token") { Description = "The verify token the endpoint expects.", Required = true };
        var fields = new Option<string>("--fields") { Description = "The fields, comma-separated, such as messages,calls,message_template_status_update, or all for every field Meta documents.", Required = true };
        var command = new Command("app", "POST /{app-id}/subscriptions: the app's callback URL and fields for whatsapp_business_account.");
        app.AddTo(command);
        command.Options.Add(callbackUrl);
        command.Options.Add(verifyToken);
        command.Options.Add(fields);
        preflight.AddTo(command);
        graph.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "subscribe app";
            var errors = new List<string>();
            var url = CallbackUrls.Parse(parse.GetValue(callbackUrl), "--callback-url", isOverride: false, errors);
            var fieldList = WebhookFieldList.Resolve(parse.GetValue(fields), "--fields", errors);

            var options = graph.Build(parse, errors, forApp: true, app.AppAccessToken(parse, errors));
            if (errors.Count > 0 || options is null || url is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            var token = parse.GetValue(verifyToken)!;
            if (!await preflight.PassesAsync(parse, name, url, token, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.PreflightFailed;
            }

            var appId = parse.GetValue(app.AppId)!;
            var code = await GraphCall.RunAsync(name, options, c => c.SubscribeAppAsync(appId, url.OriginalString, token, fieldList, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            if (code == ExitCodes.Success)
            {
                Console.Out.WriteLine($"Subscribed app {appId} to whatsapp_business_account ({string.Join(",", fieldList)}) at {url.OriginalString}.");
            }

            return code;
        });
        return command;
    }

    private static Command CreateWaba()
    {
        var graph = new GraphCommandOptions();
        var preflight = new Preflight();
        var wabaId = new Option<string>("--waba-id") { Description = "The WhatsApp Business Account id.", Required = true };
        var overrideUrl = new Option<string?>("--override-callback-url") { Description = "A WABA-level callback for messages webhooks (at most 200 characters); needs --verify-token." };
        var verifyToken = new Option<string?>("--verify-token") { Description = "The verify token the override endpoint expects." };
        var command = new Command("waba", "POST /{waba-id}/subscribed_apps: subscribe the app to a WABA, optionally with a WABA-level override callback.");
        command.Options.Add(wabaId);
        command.Options.Add(overrideUrl);
        command.Options.Add(verifyToken);
        preflight.AddTo(command);
        graph.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "subscribe waba";
            var errors = new List<string>();
            var waba = parse.GetValue(wabaId)!;
            var token = parse.GetValue(verifyToken);
            Uri? url = null;
            if (parse.GetValue(overrideUrl) is { } overrideValue)
            {
                url = CallbackUrls.Parse(overrideValue, "--override-callback-url", isOverride: true, errors);
                if (string.IsNullOrEmpty(token))
                {
                    errors.Add("--verify-token is required with --override-callback-url: Meta verifies the override URL with it.");
                }
            }
            else if (token is not null)
            {
                errors.Add("--verify-token is used only with --override-callback-url.");
            }

            var options = graph.Build(parse, errors);
            if (errors.Count > 0 || options is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            if (url is null)
            {
                var subscribed = await GraphCall.RunAsync(name, options, c => c.SubscribeWabaAsync(waba, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (subscribed == ExitCodes.Success)
                {
                    Console.Out.WriteLine($"Subscribed the app to WABA {waba}.");
                }

                return subscribed;
            }

            if (!await preflight.PassesAsync(parse, name, url, token!, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.PreflightFailed;
            }

            var code = await GraphCall.RunAsync(name, options, c => c.SetWabaOverrideAsync(waba, url.OriginalString, token!, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (code == ExitCodes.Success)
            {
                Console.Out.WriteLine($"Subscribed the app to WABA {waba}; its messages webhooks go to {url.OriginalString}.");
            }

            return code;
        });
        return command;
    }

    private static Command CreatePhone()
    {
        var graph = new GraphCommandOptions();
        var preflight = new Preflight();
        var phoneNumberId = new Option<string>("--phone-number-id") { Description = "The phone-number id (not the display number).", Required = true };
        var overrideUrl = new Option<string>("--override-callback-url") { Description = "The phone number's callback for messages webhooks (at most 200 characters).", Required = true };
        var verifyToken = new Option<string>("--verify-token") { Description = "The verify token the override endpoint expects.", Required = true };
        var command = new Command("phone", "POST /{phone-number-id} with webhook_configuration: a phone-number-level override callback.");
        command.Options.Add(phoneNumberId);
        command.Options.Add(overrideUrl);
        command.Options.Add(verifyToken);
        preflight.AddTo(command);
        graph.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "subscribe phone";
            var errors = new List<string>();
            var url = CallbackUrls.Parse(parse.GetValue(overrideUrl), "--override-callback-url", isOverride: true, errors);
            var options = graph.Build(parse, errors);
            if (errors.Count > 0 || options is null || url is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            var phone = parse.GetValue(phoneNumberId)!;
            var token = parse.GetValue(verifyToken)!;
            if (!await preflight.PassesAsync(parse, name, url, token, cancellationToken).ConfigureAwait(false))
            {
                return ExitCodes.PreflightFailed;
            }

            var code = await GraphCall.RunAsync(name, options, c => c.SetPhoneNumberOverrideAsync(phone, url.OriginalString, token, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (code == ExitCodes.Success)
            {
                Console.Out.WriteLine($"Phone number {phone}: messages webhooks now go to {url.OriginalString}.");
            }

            return code;
        });
        return command;
    }
}
