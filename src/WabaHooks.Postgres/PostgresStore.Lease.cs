using System.Data;
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
                    // Given up and taken again below: a session that is still alive lets go of the lock first.
                    await CloseLeaseConnectionAsync(_dataSource, _leaseConnection).ConfigureAwait(false);
                    _leaseConnection = null;
                }
            }

            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            bool held;
            try
            {
                await using var acquire = new NpgsqlCommand($"SELECT pg_try_advisory_lock({ProcessingLock});", connection);
                held = await acquire.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            }
            catch (Exception ex)
            {
                // The server may have granted the lock before the answer was lost: give the connection back as if held.
                await CloseLeaseConnectionAsync(_dataSource, connection).ConfigureAwait(false);
                if (ex is NpgsqlException or TimeoutException)
                {
                    return false;
                }

                throw;
            }

            if (held)
            {
                _leaseConnection = connection;
                return true;
            }

            // Refused: the session holds nothing, so it goes back to the pool as it came.
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
            // On a clean shutdown, hand the lease over at once rather than when the server notices the closed socket.
            await CloseLeaseConnectionAsync(_dataSource, _leaseConnection).ConfigureAwait(false);
            _leaseConnection = null;
        }
    }

    /// <summary>Closes a connection that holds, or may hold, the lease, so that the lock never outlives it.</summary>
    /// <remarks>
    /// The connection comes from a pool — the store's own or one it was given — and closing a pooled connection keeps
    /// its session alive for the next user. A session lock still held would go with it: the lease would stay taken, by
    /// nobody, until that session happened to end. (Npgsql's reset would free it, but only when the connection is next
    /// handed out, and not at all with <c>No Reset On Close</c>.) So the session's advisory locks are released first,
    /// and only a session known to hold none goes back to the pool. If that cannot be confirmed while the session is
    /// still open — a statement the server cancelled, say — clearing the pool makes Npgsql close this connection when
    /// it comes back instead of keeping it, at the cost of reopening the pool's idle connections, in that rare case
    /// only. A session that broke took its locks with it, and Npgsql never pools a broken connection.
    /// </remarks>
    internal static async ValueTask CloseLeaseConnectionAsync(NpgsqlDataSource dataSource, NpgsqlConnection connection)
    {
        var released = false;
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all();", connection);
            await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
            released = true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Not confirmed: below.
        }

        if (!released && connection.FullState == ConnectionState.Open)
        {
            dataSource.Clear();
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
