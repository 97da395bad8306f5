using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using WabaHooks.Cli.Commands;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// The store serve writes to: reachable, and at the schema version this wabahooks writes. Read only — the doctor never
/// creates a store or migrates one (that is <c>wabahooks migrate</c>, or serve at start-up).
/// </summary>
internal sealed class StoreCheck : IDoctorCheck
{
    public const string Reachable = "store reachable";
    public const string Schema = "store schema";

    public string Name => Reachable;

    public Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken) =>
        context.Postgres is null ? Task.FromResult(CheckSqlite(context)) : CheckPostgresAsync(context.Postgres, cancellationToken);

    private static IReadOnlyList<Finding> CheckSqlite(DoctorContext context)
    {
        var path = SqliteStoreOptions.ForDataDirectory(context.DataDir).DatabasePath;
        if (!File.Exists(path))
        {
            return
            [
                Finding.Fail(Reachable, $"no SQLite store at {path}.", "Give the --data-dir serve uses (WabaHooks:Sqlite:DataDirectory), or start serve once: it creates the store."),
                Finding.Skip(Schema, "no store to read."),
            ];
        }

        int version;
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            using var sqlite = new SqliteConnection(connection);
            sqlite.Open();
            using var command = sqlite.CreateCommand();
            command.CommandText = "PRAGMA user_version;";
            version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex)
        {
            return
            [
                Finding.Fail(Reachable, $"cannot read {path}: {ex.Message}", "Check the file's owner and mode (serve's user must read and write it) and that it is a WabaHooks database."),
                Finding.Skip(Schema, "no store to read."),
            ];
        }

        return [Finding.Pass(Reachable, $"SQLite at {path}."), JudgeVersion(version, SqliteSchema.CurrentVersion)];
    }

    private static async Task<IReadOnlyList<Finding>> CheckPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var description = StoreDescription.Of(connectionString);
        int version;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var exists = new NpgsqlCommand("SELECT to_regclass('wabahooks_schema') IS NOT NULL;", connection);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                version = 0;
            }
            else
            {
                await using var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM wabahooks_schema;", connection);
                version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return
            [
                Finding.Fail(Reachable, $"cannot connect to PostgreSQL ({description}): {ex.Message}", "Check the host, port, database, user and password of WabaHooks:Postgres:ConnectionString, and that the server accepts connections from here."),
                Finding.Skip(Schema, "no store to read."),
            ];
        }

        return [Finding.Pass(Reachable, $"PostgreSQL ({description})."), JudgeVersion(version, PostgresSchema.CurrentVersion)];
    }

    private static Finding JudgeVersion(int version, int current)
    {
        var versions = $"version {version.ToString(CultureInfo.InvariantCulture)}, this wabahooks writes {current.ToString(CultureInfo.InvariantCulture)}";
        return version == current
            ? Finding.Pass(Schema, $"current ({versions}).")
            : version < current
                ? Finding.Fail(Schema, $"behind: {versions}.", "Run wabahooks migrate with the same settings (serve also migrates when it starts, so restart serve after an upgrade).")
                : Finding.Fail(Schema, $"newer than this wabahooks: {versions}.", "Upgrade wabahooks to the version serve runs; an older one must not write to this store.");
    }
}
