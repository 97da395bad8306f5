using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;
using WabaHooks.Hosting.Admin;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>Opens the store for commands that read it — PostgreSQL when configured, else SQLite, never creating one.</summary>
internal static class StoreAccess
{
    /// <summary>Whether there is a store to open: PostgreSQL is configured, or the SQLite file exists.</summary>
    public static bool Exists(IConfiguration configuration) =>
        configuration.GetSection(CliConfiguration.Key("Postgres", "ConnectionString")).Exists()
        || File.Exists(SqliteStoreOptions.ForDataDirectory(CliConfiguration.DataDir(configuration)).DatabasePath);

    /// <summary>The query layer the admin API uses, over the opened store: one implementation of every filter.</summary>
    public static WabaHooksQueries Queries(IWabaHooksStore store) =>
        new(store, store as IAdminStore ?? throw new InvalidOperationException($"{store.GetType().Name} has no admin queries."), TimeProvider.System);

    public static async Task<IWabaHooksStore?> OpenExistingAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var connectionString = CliConfiguration.Postgres(configuration, errors);
        if (errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"wabahooks: {errors[0]}").ConfigureAwait(false);
            return null;
        }

        if (connectionString is not null)
        {
            var postgres = new PostgresStore(new PostgresStoreOptions { ConnectionString = connectionString });
            try
            {
                await postgres.InitializeAsync(cancellationToken).ConfigureAwait(false);
                return postgres;
            }
            catch (StoreUnavailableException ex)
            {
                await Console.Error.WriteLineAsync($"wabahooks: cannot open the PostgreSQL store: {ex.Message}").ConfigureAwait(false);
                await postgres.DisposeAsync().ConfigureAwait(false);
                return null;
            }
        }

        var options = SqliteStoreOptions.ForDataDirectory(CliConfiguration.DataDir(configuration));
        if (!File.Exists(options.DatabasePath))
        {
            await Console.Error.WriteLineAsync(
                $"wabahooks: no store at {options.DatabasePath}. Give the --data-dir that serve uses (or set WabaHooks__Sqlite__DataDirectory), or --postgres.").ConfigureAwait(false);
            return null;
        }

        var store = new SqliteStore(options);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }
}
