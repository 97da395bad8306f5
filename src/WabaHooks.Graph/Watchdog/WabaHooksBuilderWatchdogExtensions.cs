using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.Graph;
using WabaHooks.Graph.Watchdog;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Health;
using WabaHooks.Storage;

// In AddWabaHooks' namespace, so AddSubscriptionWatchdog shows up wherever AddWabaHooks is used.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the subscription and silence watchdog.</summary>
public static class WabaHooksBuilderWatchdogExtensions
{
    /// <summary>The key of the watchdog's settings in the WabaHooks configuration section.</summary>
    public const string SectionKey = "Watchdog";

    /// <summary>
    /// Checks each watched WABA's <c>subscribed_apps</c> every <see cref="WatchdogOptions.SubscriptionCheckInterval"/>
    /// and warns, in the log and in the <c>watchdog</c> section of <c>/readyz</c>, when the app is no longer subscribed,
    /// when the check fails, or when a WABA or phone number has had no event for
    /// <see cref="WatchdogOptions.SilenceWarning"/>. Warnings never make <c>/readyz</c> fail. The options are validated
    /// at start-up; with no WABA id the watchdog does not run. Needs a store that implements <see cref="IEventStore"/>.
    /// Graph is called through the HTTP client named <see cref="WabaHooksHttpClients.Graph"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="configure">
    /// Sets the WABA ids, the app id and the Graph token in code, after the <c>Watchdog</c> sub-section of the WabaHooks
    /// configuration (when WabaHooks was added from configuration).
    /// </param>
    public static WabaHooksBuilder AddSubscriptionWatchdog(this WabaHooksBuilder builder, Action<WatchdogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        builder.BindOptions(SectionKey, configure);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WatchdogOptions>, WatchdogOptionsValidator>());
        services.AddHttpClient();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WatchdogOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            var graph = new GraphClient(sp.GetRequiredService<IHttpClientFactory>(), options.Graph, time);
            return new SubscriptionWatchdog(graph, sp.GetRequiredService<IEventStore>(), options, time, sp.GetRequiredService<WabaHooksMetrics>());
        });
        services.AddHostedService<WatchdogService>();
        services.AddHealthChecks().AddCheck<WatchdogHealthCheck>(WatchdogHealthCheck.Name, tags: [WabaHooksHealthChecks.ReadyTag]);
        return builder;
    }
}

