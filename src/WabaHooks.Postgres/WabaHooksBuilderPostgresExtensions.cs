using WabaHooks.Hosting;
using WabaHooks.Postgres;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps WabaHooks' deliveries, events and work in PostgreSQL, shared by every instance that uses the database.</summary>
public static class WabaHooksBuilderPostgresExtensions
{
    /// <summary>Keeps everything in the PostgreSQL database <paramref name="connectionString"/> names.</summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=db;Database=wabahooks;Username=wabahooks;Password=…</c>.</param>
    public static WabaHooksBuilder UsePostgres(this WabaHooksBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgres(new PostgresStoreOptions { ConnectionString = connectionString });
    }

    /// <summary>Keeps everything in the PostgreSQL database <paramref name="options"/> names.</summary>
    public static WabaHooksBuilder UsePostgres(this WabaHooksBuilder builder, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseStore(_ => new PostgresStore(options));
    }
}
