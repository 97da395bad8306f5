namespace WabaHooks.Postgres;

/// <summary>
/// How long the store's statements wait for a lock another session holds: a stuck lock must become a 503, never a
/// hung request. It is set in each transaction rather than on the connection, because the connections may come from
/// a data source the app owns and shares: the store can neither change its connection string nor leave a setting
/// behind in its sessions, and a transaction's setting ends with the transaction.
/// </summary>
internal sealed class PostgresLockTimeout
{
    public PostgresLockTimeout(TimeSpan timeout)
    {
        // PostgreSQL takes whole milliseconds up to int.MaxValue; zero is its "no limit".
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(PostgresStoreOptions.LockTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, TimeSpan.FromMilliseconds(int.MaxValue), nameof(PostgresStoreOptions.LockTimeout));
        var milliseconds = (long)Math.Ceiling(timeout.TotalMilliseconds);
        SetLocal = $"SET LOCAL lock_timeout = {milliseconds};";
        SetForQuery = $"SELECT set_config('lock_timeout', '{milliseconds}', true);";
    }

    /// <summary>A statement for the start of an explicit transaction: the setting lasts until it commits or rolls back.</summary>
    public string SetLocal { get; }

    /// <summary>
    /// A statement to send in the same command as a query outside an explicit transaction. The statements of one
    /// command run in one implicit transaction, so the setting lasts exactly as long as the query. (<c>SET LOCAL</c>
    /// would too, but PostgreSQL logs a warning for it outside <c>BEGIN</c>, every time.) It returns one row: skip it.
    /// </summary>
    public string SetForQuery { get; }
}
