using Microsoft.Data.Sqlite;

namespace WabaHooks.Sqlite;

/// <summary>Schema migrations, applied in order and recorded in <c>PRAGMA user_version</c>.</summary>
internal static class SqliteSchema
{
    // Append only: a released migration is never edited, so every database reaches the same shape.
    private static readonly string[] Migrations =
    [
        """
        -- AUTOINCREMENT: ids are never reused, even after retention deletes the newest rows, so a cursor never skips one.
        CREATE TABLE deliveries (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at INTEGER NOT NULL, -- unix milliseconds
            app_id      TEXT    NOT NULL,
            length      INTEGER NOT NULL,
            flags       INTEGER NOT NULL,
            body        BLOB    NOT NULL
        );
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Execute(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database {connection.DataSource} has schema version {version}, newer than this wabahooks ({CurrentVersion}). Upgrade wabahooks.");
        }

        for (var next = version; next < CurrentVersion; next++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static object? Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
