using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;
using WabaHooks.Cli.Configuration;
using WabaHooks.Cli.Transfer;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks export</c>, <c>import</c> and <c>copy-store</c>: a store's rows out as JSON Lines, back into any store,
/// or straight from a SQLite file into PostgreSQL, keeping ids, idempotency keys, the status view, pending work and
/// dead letters.
/// </summary>
internal static class TransferCommands
{
    public static Command CreateExport()
    {
        var common = new CommonOptions();
        var since = new Option<string?>("--since") { Description = "Only deliveries received and events stored at or after this: ISO 8601 or a duration back from now (2h, 3d)." };
        var until = new Option<string?>("--until") { Description = "Only deliveries received and events stored before this: ISO 8601 or a duration back from now." };
        var command = new Command("export",
            "Write the store as JSON Lines on stdout: raw deliveries (exact bytes, base64) with their metadata, and events; with no --since/--until, every table (work, attempts, dead letters, status view, dedupe keys) so import rebuilds the store.");
        common.AddTo(command);
        command.Options.Add(since);
        command.Options.Add(until);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var now = TimeProvider.System.GetUtcNow();
            var from = Time(parse.GetValue(since), "--since", now, errors);
            var to = Time(parse.GetValue(until), "--until", now, errors);
            if (errors.Count > 0)
            {
                return CommonOptions.Fail("export", errors);
            }

            await using var connection = await OpenConfiguredAsync(configuration, create: false, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return ExitCodes.Failure;
            }

            await using var stdout = Console.OpenStandardOutput();
            var counts = await StoreTransfer.ExportAsync(connection, stdout, from, to, cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync("Exported " + string.Join(", ", counts.Select(c => $"{c.Read} {c.Table}"))).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateImport()
    {
        var common = new CommonOptions();
        var file = new Argument<string>("FILE") { Description = "JSON Lines written by wabahooks export; - for stdin." };
        var command = new Command("import",
            "Read a wabahooks export into the store (PostgreSQL with --postgres, else the SQLite file in --data-dir, created when missing). Rows keep their ids; a row already there is skipped, so importing twice adds nothing.");
        common.AddTo(command);
        command.Arguments.Add(file);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            var path = parse.GetValue(file)!;
            if (path != "-" && !File.Exists(path))
            {
                errors.Add($"{path}: no such file.");
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("import", errors);
            }

            await using var connection = await OpenConfiguredAsync(configuration, create: true, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return ExitCodes.Failure;
            }

            using var input = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(path);
            try
            {
                var counts = await StoreTransfer.ImportAsync(input, connection, cancellationToken).ConfigureAwait(false);
                Print(counts);
                return ExitCodes.Success;
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"wabahooks import: {ex.Message} Rows before it were imported; fix the file and import it again (rows there already are skipped).").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    public static Command CreateCopyStore()
    {
        var fromDataDir = new Option<string>("--from-data-dir") { Description = "The data directory of the SQLite store to copy (its wabahooks.db).", Required = true };
        var toPostgres = new Option<string>("--to-postgres") { Description = "The Npgsql connection string of the PostgreSQL database to copy into (migrated first).", Required = true };
        var command = new Command("copy-store",
            "Copy a whole SQLite store into PostgreSQL with ids, idempotency keys, the status view, pending sink work, attempts and dead letters, so dedupe and retries continue where they were. Stop serve on the SQLite store first; copying again adds only what is new.");
        command.Options.Add(fromDataDir);
        command.Options.Add(toPostgres);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var sqlite = SqliteStoreOptions.ForDataDirectory(parse.GetValue(fromDataDir)!);
            var connectionString = parse.GetValue(toPostgres)!;
            var errors = new List<string>();
            if (!File.Exists(sqlite.DatabasePath))
            {
                errors.Add($"--from-data-dir: no store at {sqlite.DatabasePath}.");
            }

            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"--to-postgres: not a connection string ({ex.Message}).");
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("copy-store", errors);
            }

            try
            {
                // Both at the current schema first: the copy moves rows, never tables.
                await using (var source = new SqliteStore(sqlite))
                {
                    await source.InitializeAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var target = new PostgresStore(new PostgresStoreOptions { ConnectionString = connectionString }))
                {
                    await target.InitializeAsync(cancellationToken).ConfigureAwait(false);
                }

                await using var from = await StoreConnection.OpenSqliteAsync(sqlite.DatabasePath, cancellationToken).ConfigureAwait(false);
                await using var to = await StoreConnection.OpenPostgresAsync(connectionString, cancellationToken).ConfigureAwait(false);
                var counts = await StoreTransfer.CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"Copied {sqlite.DatabasePath} to PostgreSQL ({StoreDescription.Of(connectionString)}):").ConfigureAwait(false);
                Print(counts);
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is StoreUnavailableException or NpgsqlException or SqliteException)
            {
                await Console.Error.WriteLineAsync($"wabahooks copy-store: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static void Print(IReadOnlyList<StoreTransfer.TableCount> counts)
    {
        foreach (var count in counts)
        {
            Console.Out.WriteLine($"  {count.Table,-24} {count.Read,10} read {count.Added,10} added {count.Read - count.Added,10} there already");
        }
    }

    private static DateTimeOffset? Time(string? text, string option, DateTimeOffset now, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (SinceValue.TryParse(text, now, out var time, out _))
        {
            return time;
        }

        errors.Add($"{option}: '{text}' is neither an ISO 8601 time (2026-11-25T10:00:00Z) nor a duration such as 15m, 2h or 3d.");
        return null;
    }

    /// <summary>The configured store, migrated, as a plain connection; null (with the reason printed) when there is none.</summary>
    private static async Task<StoreConnection?> OpenConfiguredAsync(IConfiguration configuration, bool create, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var postgres = CliConfiguration.Postgres(configuration, errors);
        var sqlite = SqliteStoreOptions.ForDataDirectory(CliConfiguration.DataDir(configuration));
        if (postgres is null && !create && !File.Exists(sqlite.DatabasePath))
        {
            await Console.Error.WriteLineAsync($"wabahooks: no store at {sqlite.DatabasePath}. Give the --data-dir that serve uses, or --postgres.").ConfigureAwait(false);
            return null;
        }

        try
        {
            IWabaHooksStore store = postgres is null ? new SqliteStore(sqlite) : new PostgresStore(new PostgresStoreOptions { ConnectionString = postgres });
            await using (store.ConfigureAwait(false))
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            }

            return postgres is null
                ? await StoreConnection.OpenSqliteAsync(sqlite.DatabasePath, cancellationToken).ConfigureAwait(false)
                : await StoreConnection.OpenPostgresAsync(postgres, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or NpgsqlException or SqliteException)
        {
            await Console.Error.WriteLineAsync($"wabahooks: cannot open the store: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
