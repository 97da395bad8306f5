using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting;
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

    internal static WabaHooksBuilder AddCore(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration? configuration)
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
        services.TryAddSingleton(sp => new GroupCommitWriter(
            sp.GetRequiredService<IDeliveryStore>(),
            sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.GroupCommit));
        services.AddHostedService<InboxWriterService>();

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.Processor);
        services.TryAddSingleton(sp => new SinkRouter(sp.GetServices<SinkRegistration>()));
        services.TryAddSingleton<DeliveryProcessor>();
        services.TryAddSingleton<SinkWorkSignal>();
        services.TryAddSingleton<ProcessingProgress>();
        services.AddHostedService<ProcessorService>();

        services.AddHealthChecks()
            .AddCheck<LivenessHealthCheck>(WabaHooksHealthChecks.Live, tags: [WabaHooksHealthChecks.LiveTag])
            .AddCheck<InboxHealthCheck>(WabaHooksHealthChecks.Inbox, tags: [WabaHooksHealthChecks.ReadyTag])
            .AddCheck<ProcessorHealthCheck>(WabaHooksHealthChecks.Processor, tags: [WabaHooksHealthChecks.ReadyTag]);
        return builder;
    }
}
