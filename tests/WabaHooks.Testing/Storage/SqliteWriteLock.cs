using Microsoft.Data.Sqlite;

namespace WabaHooks.Testing.Storage;

/// <summary>Another connection holding an exclusive transaction: every writer of the file waits, then fails.</summary>
public sealed class SqliteWriteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    private SqliteWriteLock(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Opens a connection that holds the write lock until disposed.</summary>
    public static SqliteWriteLock Hold(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode;";
            command.ExecuteNonQuery();
        }

        var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
        using (var write = connection.CreateCommand())
        {
            // A write inside the transaction takes the WAL write lock and keeps it until rollback.
            write.Transaction = transaction;
            write.CommandText = "CREATE TABLE IF NOT EXISTS lock_probe (x INTEGER); INSERT INTO lock_probe VALUES (1);";
            write.ExecuteNonQuery();
        }

        return new SqliteWriteLock(connection, transaction);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _transaction.RollbackAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
