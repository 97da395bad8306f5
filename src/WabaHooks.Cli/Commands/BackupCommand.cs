using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;
using WabaHooks.Cli.Configuration;
using WabaHooks.Sqlite;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks backup FILE</c>: a consistent copy of the SQLite store, taken while <c>serve</c> runs. PostgreSQL has
/// its own tools for that (<c>pg_dump</c>), which know more about a server than we do.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var file = new Argument<string>("FILE") { Description = "The file to write; it must not exist." };
        var command = new Command("backup", "Copy the SQLite store to FILE, consistently, while serve runs (restore: stop serve, copy FILE over wabahooks.db, remove wabahooks.db-wal and -shm).");
        common.AddTo(command);
        command.Arguments.Add(file);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var configuration = common.Load(parse, errors);
            if (CliConfiguration.Postgres(configuration, errors) is not null)
            {
                errors.Add("backup copies the SQLite store; for PostgreSQL use pg_dump (or your server's backups).");
            }

            var options = SqliteStoreOptions.ForDataDirectory(CliConfiguration.DataDir(configuration));
            if (errors.Count == 0 && !File.Exists(options.DatabasePath))
            {
                errors.Add($"no store at {options.DatabasePath}: give the --data-dir that serve uses.");
            }

            if (errors.Count > 0)
            {
                return CommonOptions.Fail("backup", errors);
            }

            await using var store = new SqliteStore(options);
            try
            {
                await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
                var target = parse.GetValue(file)!;
                var bytes = await store.BackupAsync(target, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Backed up {options.DatabasePath} to {Path.GetFullPath(target)} ({bytes / (1024.0 * 1024):0.0} MiB).")).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is IOException or SqliteException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"wabahooks backup: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
