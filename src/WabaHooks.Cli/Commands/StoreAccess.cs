using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>Opens the store for commands that read it — PostgreSQL when configured, else SQLite, never creating one.</summary>
internal static class StoreAccess
{
    /// <summary>Whether there is a store to open: PostgreSQL is configured, or the SQLite file exists.</summary>
    public static bool Exists(IConfiguration configuration) =>
        configuration[ConfigurationKeys.Postgres] is { Length: > 0 }
        || File.Exists(SqliteStoreOptions.ForDataDirectory(SettingsLoader.DataDir(configuration)).DatabasePath);

    public static async Task<IWabaHooksStore?> OpenExistingAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (configuration[ConfigurationKeys.Postgres] is { Length: > 0 } connectionString)
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

        var options = SqliteStoreOptions.ForDataDirectory(SettingsLoader.DataDir(configuration));
        if (!File.Exists(options.DatabasePath))
        {
            await Console.Error.WriteLineAsync(
                $"wabahooks: no store at {options.DatabasePath}. Give the --data-dir that serve uses (or set WABAHOOKS__DATADIR), or --postgres.").ConfigureAwait(false);
            return null;
        }

        var store = new SqliteStore(options);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }
}
