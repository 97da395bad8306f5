using WabaHooks.Graph;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// The app's <c>whatsapp_business_account</c> subscription as Meta holds it (<c>GET /{app-id}/subscriptions</c>): active,
/// delivering to this callback URL, with every expected field.
/// </summary>
internal sealed class AppSubscriptionCheck : IDoctorCheck
{
    public const string Name = "app subscription";

    string IDoctorCheck.Name => Name;

    public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (context.Graph.ResolveAppAccessToken() is null)
        {
            return [GraphAccess.SkipWithoutToken(Name, context)!];
        }

        if (context.AppId is null)
        {
            return [Finding.Skip(Name, "no app id.", "Give --app-id (or configure the app secret as APP_ID:SECRET, or Watchdog:AppId).")];
        }

        if (!context.CallbackUrlIsPublic)
        {
            return [Finding.Skip(Name, "no public callback URL to compare with.", "Give --url with the callback URL entered in the App Dashboard.")];
        }

        var (client, scope) = GraphAccess.Create(context);
        using var disposeScope = scope;
        IReadOnlyList<AppSubscription> subscriptions;
        var call = $"GET /{context.AppId}/subscriptions";
        try
        {
            subscriptions = await client.GetAppSubscriptionsAsync(context.AppId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (GraphAccess.IsGraphFailure(ex))
        {
            return [GraphAccess.Failure(Name, call, ex)];
        }

        var subscribe = $"wabahooks subscribe app --app-id {context.AppId} --callback-url {context.CallbackUrl} --verify-token … --fields {string.Join(',', context.ExpectedFields)}";
        var subscription = subscriptions.FirstOrDefault(s => s.Object == GraphClient.WhatsAppBusinessAccountObject);
        if (subscription is null)
        {
            return [Finding.Fail(Name, $"app {context.AppId} has no {GraphClient.WhatsAppBusinessAccountObject} subscription: Meta sends it no WhatsApp webhooks.", $"Subscribe it: {subscribe}.")];
        }

        var problems = new List<string>();
        if (!GraphAccess.SameUrl(subscription.CallbackUrl, context.CallbackUrl))
        {
            problems.Add($"Meta delivers to {subscription.CallbackUrl ?? "no URL"}, not {context.CallbackUrl}");
        }

        if (!subscription.Active)
        {
            problems.Add("the subscription is not active");
        }

        var subscribed = subscription.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var missing = context.ExpectedFields.Where(f => !subscribed.Contains(f)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"fields missing: {string.Join(", ", missing)}");
        }

        var fields = string.Join(", ", subscription.Fields.Select(f => f.Version is null ? f.Name : $"{f.Name} ({f.Version})"));
        return problems.Count == 0
            ? [Finding.Pass(Name, $"active, to {subscription.CallbackUrl}, fields {fields}.")]
            : [Finding.Fail(Name, string.Join("; ", problems) + ".", $"Subscribe the app again with this callback URL and the fields: {subscribe}.")];
    }
}
