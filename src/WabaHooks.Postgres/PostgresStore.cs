using Npgsql;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

/// <summary>
/// The PostgreSQL store: the same contract as the embedded SQLite store, for several instances sharing one database.
/// A commit returns only once PostgreSQL has flushed it to its write-ahead log (<c>synchronous_commit</c> is left at
/// its default, <c>on</c>), which is what lets the endpoint answer 200.
/// </summary>
public sealed partial class PostgresStore : IWabaHooksStore
{
    private readonly PostgresStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;

    // The processing lease is a session lock: its connection must never go back to a pool, where it would keep the
    // lock alive after the lease is given up.
    private readonly NpgsqlDataSource _leaseDataSource;

    /// <summary>Creates a store. Nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or invalid.</exception>
    public PostgresStore(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        _options = options;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);

        // Bound every wait on another session's lock: a stuck lock must become a 503, never a hung request.
        var lockTimeout = $"-c lock_timeout={(long)options.LockTimeout.TotalMilliseconds}";
        builder.Options = string.IsNullOrEmpty(builder.Options) ? lockTimeout : $"{builder.Options} {lockTimeout}";
        _dataSource = NpgsqlDataSource.Create(builder);
        builder.Pooling = false;
        _leaseDataSource = NpgsqlDataSource.Create(builder);
    }

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await Guard(async () =>
        {
            await PostgresSchema.MigrateAsync(_dataSource, cancellationToken).ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<InboundDelivery> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync<IReadOnlyList<long>>(async (connection, transaction) =>
        {
            // One round trip for the whole group commit; each statement returns its id, in batch order.
            await using var commands = new NpgsqlBatch(connection, transaction);
            foreach (var delivery in batch)
            {
                var command = new NpgsqlBatchCommand(
                    "INSERT INTO deliveries (received_at, app_id, length, flags, body) VALUES ($1, $2, $3, $4, $5) RETURNING id;");
                command.Parameters.Add(new NpgsqlParameter { Value = delivery.ReceivedAt.ToUnixTimeMilliseconds() });
                command.Parameters.Add(new NpgsqlParameter { Value = delivery.AppId });
                command.Parameters.Add(new NpgsqlParameter { Value = delivery.Body.Length });
                command.Parameters.Add(new NpgsqlParameter { Value = (int)delivery.Flags });
                command.Parameters.Add(new NpgsqlParameter { Value = delivery.Body.ToArray() });
                commands.BatchCommands.Add(command);
            }

            var ids = new long[batch.Count];
            await using var reader = await commands.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < ids.Length; i++)
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ids[i] = reader.GetInt64(0);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            return ids;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CheckWritableAsync(CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            // The lock an append takes, taken and released without writing: fails exactly when an append would.
            await using var command = new NpgsqlCommand("LOCK TABLE deliveries IN ROW EXCLUSIVE MODE;", connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>Releases the processing lease, if held, and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await ReleaseLeaseAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _leaseDataSource.DisposeAsync().ConfigureAwait(false);
        _leaseGate.Dispose();
    }

    private long Now() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        await Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }).ConfigureAwait(false);

    /// <summary>Every row the query returns, each read by <paramref name="row"/>.</summary>
    /// <remarks>
    /// Rows are fetched with <c>ReadAsync</c>: a synchronous <c>Read</c> waits on the network, holding a thread-pool
    /// thread, whenever a result is larger than what has arrived (a page of bodies) — under load that starves the pool.
    /// <paramref name="row"/> only takes the current row's columns, which are in memory once it is fetched.
    /// </remarks>
    private async Task<IReadOnlyList<T>> ReadRowsAsync<T>(string sql, Action<NpgsqlCommand> parameters, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken) =>
        await Guard<IReadOnlyList<T>>(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            parameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row(reader));
            }

            return rows;
        }).ConfigureAwait(false);

    /// <summary>The first row the query returns, read by <paramref name="row"/>; <see langword="null"/> when there is none.</summary>
    private async Task<T?> ReadFirstAsync<T>(string sql, Action<NpgsqlCommand> parameters, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
        where T : class =>
        await Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            parameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? row(reader) : null;
        }).ConfigureAwait(false);

    /// <summary>
    /// Every PostgreSQL failure but refused data (<see cref="IsRefusedData"/>) is an outage to the caller (503, Meta
    /// retries; the processor pauses and resumes). That includes a full disk on the server: SqlState 53100 (disk_full) when a table or index file cannot be extended,
    /// and, when the server's own write-ahead log cannot be written, a PANIC and restart that reaches us as a broken
    /// connection (an <see cref="NpgsqlException"/> too). Neither is a fault of the delivery being written.
    /// </summary>
    internal static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("53", StringComparison.Ordinal))
        {
            // Class 53, insufficient resources: 53100 disk full, 53200 out of memory, 53300 too many connections.
            // Said plainly, since an operator acts on it (free space on the server), not on the delivery.
            var what = ex.SqlState == PostgresErrorCodes.DiskFull ? "the server's disk is full" : "the server is out of resources";
            throw new StoreUnavailableException($"PostgreSQL could not complete the operation: {what} ({ex.SqlState}: {ex.MessageText})", ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !IsRefusedData(ex))
        {
            throw new StoreUnavailableException($"PostgreSQL could not complete the operation: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Whether the server refused what was written — a data exception (class 22, such as a NUL character in text) or
    /// an integrity violation (class 23) — rather than being unable to work. Disk full (53100), lost connections (08)
    /// and the like are the store being unavailable; refused data is the caller's to handle, one item at a time.
    /// </summary>
    private static bool IsRefusedData(Exception ex) =>
        ex is PostgresException { SqlState: [ '2', '2' or '3', .. ] };
}
