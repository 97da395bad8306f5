using WabaHooks.Graph;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// Each configured WABA lists the app in <c>subscribed_apps</c> (Meta drops apps whose endpoint keeps failing), with no
/// WABA-level override sending its <c>messages</c> webhooks to another URL.
/// </summary>
internal sealed class WabaSubscriptionCheck : IDoctorCheck
{
    public const string Name = "WABA subscribed_apps";

    string IDoctorCheck.Name => Name;

    public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (GraphAccess.SkipWithoutToken(Name, context) is { } skip)
        {
            return [skip];
        }

        if (context.WabaIds.Count == 0)
        {
            return [Finding.Skip(Name, "no WABA ids.", "Give --waba-id (repeatable) or configure WabaHooks:Watchdog:WabaIds.")];
        }

        var (client, scope) = GraphAccess.Create(context);
        using var disposeScope = scope;
        var findings = new List<Finding>();
        foreach (var wabaId in context.WabaIds)
        {
            findings.Add(await CheckAsync(client, context, wabaId, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }

    private static async Task<Finding> CheckAsync(GraphClient client, DoctorContext context, string wabaId, CancellationToken cancellationToken)
    {
        var name = $"{Name} {wabaId}";
        IReadOnlyList<WabaSubscribedApp> apps;
        try
        {
            apps = await client.GetWabaSubscriptionsAsync(wabaId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (GraphAccess.IsGraphFailure(ex))
        {
            return GraphAccess.Failure(name, $"GET /{wabaId}/subscribed_apps", ex);
        }

        var app = context.AppId is null ? apps.FirstOrDefault() : apps.FirstOrDefault(a => a.WhatsAppBusinessApiData?.Id == context.AppId);
        var subscribe = $"wabahooks subscribe waba --waba-id {wabaId}";
        if (app is null)
        {
            var listed = apps.Count == 0 ? "no app" : string.Join(", ", apps.Select(a => a.WhatsAppBusinessApiData?.Id ?? "?"));
            return Finding.Fail(name, $"{(context.AppId is null ? "no app is subscribed" : $"app {context.AppId} is not subscribed")} (listed: {listed}): Meta sends this WABA's webhooks nowhere{(context.AppId is null ? "" : " this app hears")}.", $"Subscribe it: {subscribe}.");
        }

        var appName = app.WhatsAppBusinessApiData?.Name ?? app.WhatsAppBusinessApiData?.Id ?? "the app";
        if (app.OverrideCallbackUri is { Length: > 0 } overrideUri && !(context.CallbackUrlIsPublic && GraphAccess.SameUrl(overrideUri, context.CallbackUrl)))
        {
            return Finding.Fail(name, $"{appName} is subscribed, but a WABA-level override sends its messages webhooks to {overrideUri}.", $"Remove the override: wabahooks unsubscribe waba --waba-id {wabaId} --override-only (or {subscribe}, which subscribes without one).");
        }

        return Finding.Pass(name, $"{appName} is subscribed{(app.OverrideCallbackUri is { Length: > 0 } ? ", its override is this callback URL" : ", no override")}.");
    }
}
