using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting;
using WabaHooks.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps WabaHooks' deliveries, events and work in the embedded SQLite store.</summary>
public static class WabaHooksBuilderSqliteExtensions
{
    /// <summary>The key of the SQLite store's settings in the WabaHooks configuration section.</summary>
    public const string SectionKey = "Sqlite";

    /// <summary>
    /// Keeps everything in one SQLite file, with the settings of the <c>Sqlite</c> sub-section of the WabaHooks
    /// configuration (<c>DataDirectory</c>, <c>FreeSpaceReserveBytes</c>, <c>WalSizeLimitBytes</c>, <c>BusyTimeout</c>),
    /// then <paramref name="configure"/>. Validated at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="configure">Adjusts the settings in code, after the configuration.</param>
    public static WabaHooksBuilder UseSqlite(this WabaHooksBuilder builder, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindOptions(SectionKey, configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        return builder.UseStore(sp => new SqliteStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
    }

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
}
