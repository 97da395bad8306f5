using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
        var options = builder.BindOptions<PostgresStoreOptions>(SectionKey);
        if (configure is not null)
        {
            options.Configure(configure);
        }

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
}
