using WabaHooks.Graph;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// No phone-number-level override sends a number's <c>messages</c> webhooks elsewhere: Meta resolves a number's
/// callback as its own override, then its WABA's, then the app's (reference §5.4).
/// </summary>
internal sealed class PhoneNumberOverrideCheck : IDoctorCheck
{
    public const string Name = "phone number callback";

    string IDoctorCheck.Name => Name;

    public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (GraphAccess.SkipWithoutToken(Name, context) is { } skip)
        {
            return [skip];
        }

        if (context.PhoneNumberIds.Count == 0)
        {
            return [Finding.Skip(Name, "no phone-number ids.", "Give --phone-number-id (repeatable) to check that no override sends a number's messages elsewhere.")];
        }

        var (client, scope) = GraphAccess.Create(context);
        using var disposeScope = scope;
        var findings = new List<Finding>();
        foreach (var phoneNumberId in context.PhoneNumberIds)
        {
            var name = $"{Name} {phoneNumberId}";
            try
            {
                var configuration = await client.GetPhoneNumberWebhookConfigurationAsync(phoneNumberId, cancellationToken).ConfigureAwait(false);
                findings.Add(Judge(name, phoneNumberId, configuration.WebhookConfiguration, context));
            }
            catch (Exception ex) when (GraphAccess.IsGraphFailure(ex))
            {
                findings.Add(GraphAccess.Failure(name, $"GET /{phoneNumberId}?fields=webhook_configuration", ex));
            }
        }

        return findings;
    }

    private static Finding Judge(string name, string phoneNumberId, WebhookConfiguration? configuration, DoctorContext context)
    {
        // The first level that sets a callback is where messages go.
        var (level, url) = configuration switch
        {
            { PhoneNumber.Length: > 0 } => ("its phone-number override", configuration.PhoneNumber),
            { WhatsAppBusinessAccount.Length: > 0 } => ("its WABA's override", configuration.WhatsAppBusinessAccount),
            { Application.Length: > 0 } => ("the app's callback URL", configuration.Application),
            _ => ("", null),
        };
        if (url is null)
        {
            return Finding.Fail(name, "no callback at any level: Meta has nowhere to send this number's messages.", "Subscribe the app (wabahooks subscribe app) and the number's WABA (wabahooks subscribe waba).");
        }

        if (!context.CallbackUrlIsPublic)
        {
            return level == "the app's callback URL"
                ? Finding.Pass(name, $"no override: messages go to {level}, {url}.")
                : Finding.Fail(name, $"{level} sends messages to {url}; without --url the doctor cannot tell whether that is this gateway.", $"Give --url, or remove the override: wabahooks unsubscribe phone --phone-number-id {phoneNumberId}.");
        }

        return GraphAccess.SameUrl(url, context.CallbackUrl)
            ? Finding.Pass(name, $"messages go to this callback URL ({level}).")
            : Finding.Fail(name, $"{level} sends this number's messages to {url}, not {context.CallbackUrl}.", level == "its phone-number override"
                ? $"Remove it: wabahooks unsubscribe phone --phone-number-id {phoneNumberId}."
                : level == "its WABA's override"
                    ? "Remove the WABA's override: wabahooks unsubscribe waba --waba-id WABA_ID --override-only."
                    : "Subscribe the app with this callback URL: wabahooks subscribe app.");
    }
}
