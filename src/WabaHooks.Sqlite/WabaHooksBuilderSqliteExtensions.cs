using WabaHooks.Hosting;
using WabaHooks.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps WabaHooks' deliveries, events and work in the embedded SQLite store.</summary>
public static class WabaHooksBuilderSqliteExtensions
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
}
