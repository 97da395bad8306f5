using WabaHooks.Sqlite;

namespace WabaHooks.Cli.Commands;

/// <summary>Opens the store for commands that read it, without creating one where there is none.</summary>
internal static class StoreAccess
{
    public static async Task<SqliteStore?> OpenExistingAsync(string dataDir, CancellationToken cancellationToken)
    {
        var options = SqliteStoreOptions.ForDataDirectory(dataDir);
        if (!File.Exists(options.DatabasePath))
        {
            await Console.Error.WriteLineAsync(
                $"wabahooks: no store at {options.DatabasePath}. Give the --data-dir that serve uses (or set WABAHOOKS__DATADIR).").ConfigureAwait(false);
            return null;
        }

        var store = new SqliteStore(options);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }
}
