using WabaHooks.Graph.Watchdog;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;

namespace WabaHooks.Cli.Configuration;

/// <summary>The whole configuration schema: the WabaHooks section and every sub-section the library or the CLI reads.</summary>
internal static class ConfigurationSchema
{
    /// <summary>The schema's file name, at the repository's root and in the README.</summary>
    public const string FileName = "wabahooks.schema.json";

    public static string Generate() => SettingsSchema.Write(typeof(WabaHooksOptions), CliConfiguration.Section,
    [
        new(Microsoft.Extensions.DependencyInjection.WabaHooksServiceCollectionExtensions.DestinationsKey, typeof(DestinationOptions), true,
            "The HTTP destinations events go to, each with its own name, filters, retries and circuit breaker. Read by AddWabaHooks(configuration)."),
        new(WabaHooksBuilderSqliteExtensions.SectionKey, typeof(SqliteStoreOptions), false,
            "The embedded SQLite store, read by UseSqlite(); wabahooks uses it unless Postgres:ConnectionString is set."),
        new(WabaHooksBuilderPostgresExtensions.SectionKey, typeof(PostgresStoreOptions), false,
            "The PostgreSQL store, read by UsePostgres(); wabahooks uses it when ConnectionString is set."),
        new(WabaHooksBuilderWatchdogExtensions.SectionKey, typeof(WatchdogOptions), false,
            "The subscription and silence watchdog, read by AddSubscriptionWatchdog()."),
        new(Microsoft.Extensions.DependencyInjection.WabaHooksAdminServiceCollectionExtensions.SectionKey, typeof(WabaHooks.AspNetCore.Admin.WabaHooksAdminOptions), false,
            "The admin surface (admin API, dashboard, live stream, /metrics), read by AddAdmin(); wabahooks serve runs it on its admin listener."),
        new("Serve", typeof(ServeOptions), false,
            "Read by wabahooks serve only: where it listens and how. A library user sets these in Program.cs."),
    ]);
}
