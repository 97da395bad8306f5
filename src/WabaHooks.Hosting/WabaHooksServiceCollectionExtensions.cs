using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting;
using WabaHooks.Diagnostics;
using WabaHooks.Hosting.Configuration;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Health;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Hosting.Processing;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WabaHooks in a service collection.</summary>
public static class WabaHooksServiceCollectionExtensions
{
    /// <summary>
    /// Adds WabaHooks: options (validated at start-up), the group-commit inbox writer and the processor as hosted
    /// services, and the health checks. Choose a store on the returned builder (for example <c>UseSqlite</c>) or register
    /// an <see cref="IDeliveryStore"/> yourself; with ASP.NET Core, <c>MapWabaHooks</c> maps Meta's callback URL.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the verify token, app secrets and limits.</param>
    public static WabaHooksBuilder AddWabaHooks(this IServiceCollection services, Action<WabaHooksOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<WabaHooksOptions>().Configure(configure);
        return AddCore(services, configuration: null);
    }

    /// <summary>
    /// Adds WabaHooks with every setting read from <paramref name="configuration"/>, usually
    /// <c>builder.Configuration.GetSection("WabaHooks")</c>: the verify token, app secrets, limits, the processor's and
    /// handlers' settings, and the <c>Destinations</c> list (each a named <see cref="WabaHooks.Hosting.Destinations.DestinationOptions"/>,
    /// so code can adjust one with <c>services.Configure&lt;DestinationOptions&gt;("crm", …)</c>). The store and the
    /// watchdog read their own sub-sections when added (<c>UseSqlite()</c>, <c>UsePostgres()</c>,
    /// <c>AddSubscriptionWatchdog()</c>). Unknown keys, malformed values and out-of-range settings stop start-up with one
    /// message that lists them all and shows no secret. Secrets may be kept in files: <c>{ "File": "/run/secrets/x" }</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The WabaHooks configuration section.</param>
    /// <param name="configure">Adjusts the bound settings in code; runs after the binding.</param>
    public static WabaHooksBuilder AddWabaHooks(this IServiceCollection services, IConfiguration configuration, Action<WabaHooksOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = ConfigurationProblems.In(services);
        var path = (configuration as IConfigurationSection)?.Path ?? "WabaHooks";
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WabaHooksOptions>, ConfigurationProblemsValidator<WabaHooksOptions>>());
        services.AddOptions<WabaHooksOptions>().Configure<IEnumerable<ClaimedSection>>((options, claimed) =>
            SettingsBinder.Bind(configuration, options, path, problems.Binding(typeof(WabaHooksOptions), null), [DestinationsKey, .. claimed.Select(c => c.Key)]));
        if (configure is not null)
        {
            services.AddOptions<WabaHooksOptions>().Configure(configure);
        }

        // App secrets and the verify token follow the configuration when it reloads (IOptionsMonitor), so a secret is
        // rotated without a restart; the rest of the settings are read once.
        services.AddSingleton<IOptionsChangeTokenSource<WabaHooksOptions>>(new ConfigurationChangeSource<WabaHooksOptions>(configuration));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<SettingsReloadLog>(sp, configuration));
        var builder = AddCore(services, configuration);
        var destinations = configuration.GetSection(DestinationsKey);
        if (destinations.Value is { Length: > 0 })
        {
            problems.AddAtRegistration(typeof(WabaHooksOptions), null, $"{destinations.Path} must be a list of destinations, e.g. [ {{ \"Name\": \"crm\", \"Url\": \"https://…\", \"Secret\": \"…\" }} ].");
        }

        foreach (var destination in destinations.GetChildren())
        {
            builder.AddDestination(destination);
        }

        return builder;
    }

    /// <summary>The key of the list of destinations in the WabaHooks section.</summary>
    public const string DestinationsKey = "Destinations";

    internal static WabaHooksBuilder AddCore(IServiceCollection services, IConfiguration? configuration)
    {
        var builder = new WabaHooksBuilder(services, configuration);
        if (services.Any(d => d.ServiceType == typeof(WabaHooksMarker)))
        {
            return builder; // Added before: the options above add to the same settings.
        }

        services.AddSingleton<WabaHooksMarker>();
        services.AddOptions<WabaHooksOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WabaHooksOptions>, WabaHooksOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // The meter comes from the host's IMeterFactory (every generic host registers one).
        services.TryAddSingleton<WabaHooksMetrics>();
        services.TryAddSingleton<IPipelineObserver>(sp => sp.GetRequiredService<WabaHooksMetrics>());
        services.TryAddSingleton(sp => new GroupCommitWriter(
            sp.GetRequiredService<IDeliveryStore>(),
            sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.GroupCommit,
            sp.GetRequiredService<IPipelineObserver>()));
        services.AddHostedService<InboxWriterService>();

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.Processor);
        services.TryAddSingleton(sp => new SinkRouter(sp.GetServices<SinkRegistration>()));
        services.TryAddSingleton(sp => new DeliveryProcessor(
            sp.GetRequiredService<IDeliveryStore>(),
            sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<SinkRouter>(),
            sp.GetRequiredService<ProcessorOptions>(),
            sp.GetRequiredService<IPipelineObserver>(),
            WabaHooksActivities.Source));
        services.TryAddSingleton<SinkWorkSignal>();
        services.TryAddSingleton<ProcessingProgress>();
        services.AddHostedService<ProcessorService>();
        services.AddHostedService<SinkBacklogMetrics>();
        services.AddHostedService<WabaHooks.Hosting.Retention.RetentionService>();

        services.AddHealthChecks()
            .AddCheck<LivenessHealthCheck>(WabaHooksHealthChecks.Live, tags: [WabaHooksHealthChecks.LiveTag])
            .AddCheck<InboxHealthCheck>(WabaHooksHealthChecks.Inbox, tags: [WabaHooksHealthChecks.ReadyTag])
            .AddCheck<ProcessorHealthCheck>(WabaHooksHealthChecks.Processor, tags: [WabaHooksHealthChecks.ReadyTag]);
        return builder;
    }
}
