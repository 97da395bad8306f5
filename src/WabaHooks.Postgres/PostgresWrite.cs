using Npgsql;

namespace WabaHooks.Postgres;

/// <summary>
/// The commands of one write transaction. The first one also sets the transaction's lock timeout: it travels in the
/// same round trip as that command (and as Npgsql's deferred <c>BEGIN</c>), so bounding lock waits costs no extra trip.
/// Commands are expected to run in the order they are made.
/// </summary>
internal sealed class PostgresWrite(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresLockTimeout lockTimeout)
{
    private bool _lockTimeoutSet;

    /// <summary>
    /// A command in the transaction. Its parameters must be named (<c>@name</c>): the first command carries the lock
    /// timeout as a statement of its own, and positional parameters (<c>$1</c>) cannot share a command with another.
    /// </summary>
    public NpgsqlCommand Command(string sql) => new(TakeLockTimeout() + sql, connection, transaction);

    /// <summary>A batch in the transaction.</summary>
    public NpgsqlBatch Batch()
    {
        var batch = new NpgsqlBatch(connection, transaction);
        if (TakeLockTimeout() is { Length: > 0 } setLockTimeout)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(setLockTimeout));
        }

        return batch;
    }

    private string TakeLockTimeout()
    {
        if (_lockTimeoutSet)
        {
            return "";
        }

        _lockTimeoutSet = true;
        return lockTimeout.SetLocal + " ";
    }
}
