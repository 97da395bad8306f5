using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.AspNetCore.Dispatch;
using WabaHooks.AspNetCore;
using WabaHooks.AspNetCore.Handlers;
using WabaHooks.AspNetCore.Hosting;
using WabaHooks.AspNetCore.Receiving;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WabaHooks in a service collection.</summary>
public static class WabaHooksServiceCollectionExtensions
{
    /// <summary>
    /// Adds the webhook receiver: options (validated at start-up), the group-commit inbox writer as a hosted service,
    /// and the endpoint that <c>MapWabaHooks</c> maps. Choose a store on the returned builder (for example
    /// <c>UseSqlite</c>) or register an <see cref="IDeliveryStore"/> yourself.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the verify token, app secrets and limits.</param>
    public static WabaHooksBuilder AddWabaHooks(this IServiceCollection services, Action<WabaHooksOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<WabaHooksOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WabaHooksOptions>, WabaHooksOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new GroupCommitWriter(
            sp.GetRequiredService<IDeliveryStore>(),
            sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.GroupCommit));
        services.TryAddSingleton<WebhookEndpoint>();
        services.AddHostedService<InboxWriterService>();

        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.Processor);
        services.TryAddSingleton(sp => new SinkRouter(sp.GetServices<SinkRegistration>()));
        services.TryAddSingleton<DeliveryProcessor>();
        services.TryAddSingleton<SinkWorkSignal>();
        services.TryAddSingleton<ProcessingProgress>();
        services.AddHostedService<ProcessorService>();
        services.TryAddSingleton<WabaHooksMarker>();
        return new WabaHooksBuilder(services);
    }
}
