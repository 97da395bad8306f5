using System.CommandLine;
using WabaHooks.Cli.Configuration;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks migrate</c>: applies the store's schema migrations, for operators who apply them before rolling out
/// (serve applies them at start-up as well; concurrent instances wait on one another).
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var command = new Command("migrate", "Create or upgrade the store's schema (PostgreSQL with --postgres, else the SQLite file in --data-dir).");
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var postgres = CliConfiguration.Postgres(configuration, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("migrate", errors);
            }

            IWabaHooksStore store = string.IsNullOrEmpty(postgres)
                ? new SqliteStore(SqliteStoreOptions.ForDataDirectory(CliConfiguration.DataDir(configuration)))
                : new PostgresStore(new PostgresStoreOptions { ConnectionString = postgres });
            await using (store.ConfigureAwait(false))
            {
                try
                {
                    await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (StoreUnavailableException ex)
                {
                    await Console.Error.WriteLineAsync($"wabahooks migrate: {ex.Message}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
            }

            Console.Out.WriteLine(string.IsNullOrEmpty(postgres)
                ? $"The SQLite store in {Path.GetFullPath(CliConfiguration.DataDir(configuration))} is at the current schema."
                : $"The PostgreSQL store ({StoreDescription.Of(postgres)}) is at the current schema.");
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>Names a store for people, never with its password.</summary>
internal static class StoreDescription
{
    public static string Of(string postgresConnectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(postgresConnectionString);
        return $"host {builder.Host}:{builder.Port}, database {builder.Database}, user {builder.Username}";
    }
}
