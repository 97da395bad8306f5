using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Admin;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Hosting.Replay;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses where WabaHooks keeps deliveries; the store packages add <c>UseSqlite</c> and <c>UsePostgres</c>.</summary>
public static class WabaHooksBuilderStoreExtensions
{
    /// <summary>
    /// Uses a store of your own. It serves as <see cref="IDeliveryStore"/>, and also as <see cref="IEventStore"/> and
    /// <see cref="ISinkWorkStore"/> when it implements them. It is disposed with the service provider.
    /// </summary>
    /// <remarks>
    /// With a store that implements them, <see cref="InboxReview"/> and <see cref="SinkReplay"/> are registered too, for an
    /// admin API: list deliveries and reprocess them, replay events and retry dead letters.
    /// </remarks>
    public static WabaHooksBuilder UseStore<TStore>(this WabaHooksBuilder builder, Func<IServiceProvider, TStore> factory)
        where TStore : class, IDeliveryStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.TryAddSingleton(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton<IDeliveryStore>(sp => sp.GetRequiredService<TStore>()));
        if (typeof(IEventStore).IsAssignableFrom(typeof(TStore)))
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(typeof(IEventStore), sp => sp.GetRequiredService<TStore>()));
            builder.Services.TryAddSingleton<InboxReview>();
        }

        if (typeof(ISinkWorkStore).IsAssignableFrom(typeof(TStore)))
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(typeof(ISinkWorkStore), sp => sp.GetRequiredService<TStore>()));
        }

        if (typeof(IEventStore).IsAssignableFrom(typeof(TStore)) && typeof(ISinkWorkStore).IsAssignableFrom(typeof(TStore)))
        {
            builder.Services.TryAddSingleton<SinkReplay>();
        }

        if (typeof(IWabaHooksStore).IsAssignableFrom(typeof(TStore)) && typeof(IAdminStore).IsAssignableFrom(typeof(TStore)))
        {
            // The query layer and operator actions of the admin API and dashboard.
            builder.Services.Replace(ServiceDescriptor.Singleton(typeof(IAdminStore), sp => sp.GetRequiredService<TStore>()));
            builder.Services.TryAddSingleton(sp => new WabaHooksQueries(
                (IWabaHooksStore)sp.GetRequiredService<TStore>(),
                sp.GetRequiredService<IAdminStore>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<SinkRouter>(),
                sp.GetService<DestinationStatusBoard>()));
            builder.Services.TryAddSingleton<BulkJobs>();
            builder.Services.TryAddSingleton(sp => new WabaHooksOperations(
                sp.GetRequiredService<WabaHooksQueries>(), sp.GetRequiredService<BulkJobs>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<SinkWorkSignal>(), sp.GetService<DestinationTester>()));
        }

        return builder;
    }
}
