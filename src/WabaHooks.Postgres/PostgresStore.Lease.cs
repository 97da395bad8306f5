using Npgsql;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    // Processing is sequential by nature (the inbox in order, the status view moving forward), so several instances
    // gain nothing by splitting it; they only need exactly one of them doing it, and another to take over at once
    // when that one dies. A session-level advisory lock is exactly that: held while its connection lives, freed by
    // PostgreSQL the moment the holder's session ends — crash, SIGKILL or network loss — with no lease to expire.
    // Dispatch, which does parallelise, shares its rows instead with FOR UPDATE SKIP LOCKED (see ClaimDueAsync).
    private const long ProcessingLock = 0x5741_4241_5052_4F43; // "WABAPROC"

    private readonly SemaphoreSlim _leaseGate = new(1, 1);
    private NpgsqlConnection? _leaseConnection;

    /// <inheritdoc/>
    public async Task<bool> TryHoldProcessingLeaseAsync(CancellationToken cancellationToken)
    {
        await _leaseGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_leaseConnection is not null)
            {
                try
                {
                    // Still ours while the session is alive; a broken connection means the lock is gone too.
                    await using var ping = new NpgsqlCommand("SELECT 1;", _leaseConnection);
                    await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    await _leaseConnection.DisposeAsync().ConfigureAwait(false);
                    _leaseConnection = null;
                }
            }

            var connection = await _leaseDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var acquire = new NpgsqlCommand($"SELECT pg_try_advisory_lock({ProcessingLock});", connection);
                if (await acquire.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                {
                    _leaseConnection = connection;
                    return true;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return false;
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return false;
        }
        finally
        {
            _leaseGate.Release();
        }
    }

    private async ValueTask ReleaseLeaseAsync()
    {
        if (_leaseConnection is not null)
        {
            try
            {
                // On a clean shutdown, hand the lease over at once rather than when the server notices the closed socket.
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({ProcessingLock});", _leaseConnection);
                await release.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The session is gone already, and its lock with it.
            }

            await _leaseConnection.DisposeAsync().ConfigureAwait(false);
            _leaseConnection = null;
        }
    }
}
