using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using WabaHooks.Hosting;
using WabaHooks.Postgres;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps WabaHooks' deliveries, events and work in PostgreSQL, shared by every instance that uses the database.</summary>
public static class WabaHooksBuilderPostgresExtensions
{
    /// <summary>The key of the PostgreSQL store's settings in the WabaHooks configuration section.</summary>
    public const string SectionKey = "Postgres";

    /// <summary>
    /// Keeps everything in PostgreSQL, with the settings of the <c>Postgres</c> sub-section of the WabaHooks
    /// configuration (<c>ConnectionString</c>, which may be <c>{ "File": path }</c>, and <c>LockTimeout</c>), then
    /// <paramref name="configure"/>. Validated at start-up.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="configure">Adjusts the settings in code, after the configuration.</param>
    public static WabaHooksBuilder UsePostgres(this WabaHooksBuilder builder, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.BindOptions(SectionKey, configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());
        return builder.UseStore(sp => new PostgresStore(sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value));
    }

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

    /// <summary>
    /// Keeps everything in PostgreSQL, connecting through <paramref name="dataSource"/>: yours to configure, share and
    /// dispose. The store leaves it open and its connections as it found them; its processing lease keeps one of the
    /// pool's connections while this instance holds it.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="dataSource">Where to connect. It must not multiplex (<c>Multiplexing=true</c>).</param>
    /// <param name="configure">Sets the lock timeout or the clock; the connection string is not used.</param>
    public static WabaHooksBuilder UsePostgres(this WabaHooksBuilder builder, NpgsqlDataSource dataSource, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgres(_ => dataSource, configure);
    }

    /// <summary>
    /// Keeps everything in PostgreSQL, connecting through the data source <paramref name="dataSourceFactory"/> takes
    /// from the service provider — such as the one Npgsql's <c>AddNpgsqlDataSource</c> registers:
    /// <c>.UsePostgres(sp => sp.GetRequiredService&lt;NpgsqlDataSource&gt;())</c>. The store does not dispose it, so it
    /// should be one the container owns (or yours). Its processing lease keeps one of the pool's connections while
    /// this instance holds it.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="dataSourceFactory">Called once, when the store is first needed. The data source must not multiplex.</param>
    /// <param name="configure">Sets the lock timeout or the clock; the connection string is not used.</param>
    public static WabaHooksBuilder UsePostgres(
        this WabaHooksBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSourceFactory, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSourceFactory);
        return builder.UseStore(services =>
        {
            var options = new PostgresStoreOptions();
            configure?.Invoke(options);
            return new PostgresStore(dataSourceFactory(services), options);
        });
    }
}
