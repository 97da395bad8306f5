using WabaHooks.Graph.Watchdog;
using WabaHooks.Cli.Configuration;

namespace WabaHooks.Cli.Serving;

/// <summary>Turns <c>serve</c>'s watch settings into the watchdog's options.</summary>
internal static class WatchdogSetup
{
    public static void Apply(WatchSettings settings, WatchdogOptions options)
    {
        foreach (var wabaId in settings.WabaIds)
        {
            options.WabaIds.Add(wabaId);
        }

        options.AppId = settings.AppId;
        options.SubscriptionCheckInterval = settings.SubscriptionCheckInterval;
        options.SilenceWarning = settings.SilenceWarning;
        options.Graph.AccessToken = settings.AccessToken;
        if (settings.GraphUrl is not null)
        {
            options.Graph.BaseUrl = settings.GraphUrl;
        }
    }
}
