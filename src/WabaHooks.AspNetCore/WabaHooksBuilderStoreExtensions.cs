using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore;

/// <summary>Chooses where WabaHooks keeps deliveries.</summary>
public static class WabaHooksBuilderStoreExtensions
{
    /// <summary>Keeps everything in one SQLite file, <c>wabahooks.db</c>, inside <paramref name="dataDirectory"/>.</summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="dataDirectory">The folder for the database; created when missing.</param>
    public static WabaHooksBuilder UseSqlite(this WabaHooksBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseSqlite(SqliteStoreOptions.ForDataDirectory(dataDirectory));
    }

    /// <summary>Keeps everything in the SQLite database <paramref name="options"/> names.</summary>
    public static WabaHooksBuilder UseSqlite(this WabaHooksBuilder builder, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseStore(_ => new SqliteStore(options));
    }

    /// <summary>
    /// Uses a store of your own. It serves as <see cref="IDeliveryStore"/>, and also as <see cref="IEventStore"/> and
    /// <see cref="ISinkWorkStore"/> when it implements them. It is disposed with the service provider.
    /// </summary>
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
        }

        if (typeof(ISinkWorkStore).IsAssignableFrom(typeof(TStore)))
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(typeof(ISinkWorkStore), sp => sp.GetRequiredService<TStore>()));
        }

        return builder;
    }
}
