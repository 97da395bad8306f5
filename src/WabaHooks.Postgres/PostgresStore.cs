using Npgsql;
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
    private readonly bool _ownsDataSource;
    private readonly PostgresLockTimeout _lockTimeout;

    /// <summary>Creates a store on its own connection pool. Nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is empty or invalid, or asks for multiplexing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostgresStoreOptions.LockTimeout"/> is negative or too long.</exception>
    public PostgresStore(PostgresStoreOptions options)
        : this(CreateDataSource(options), options, ownsDataSource: true)
    {
    }

    /// <summary>
    /// Creates a store on a data source of yours, such as the one Npgsql's <c>AddNpgsqlDataSource</c> registers. The
    /// store leaves it open when disposed and changes nothing about its connections: the lock timeout is set inside
    /// each of the store's own transactions. The processing lease keeps one of its connections while held.
    /// </summary>
    /// <param name="dataSource">Where to connect. It must not multiplex: the processing lease is a lock held by one session.</param>
    /// <param name="options">The lock timeout and the clock; <see cref="PostgresStoreOptions.ConnectionString"/> is not used. Defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="dataSource"/> multiplexes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostgresStoreOptions.LockTimeout"/> is negative or too long.</exception>
    public PostgresStore(NpgsqlDataSource dataSource, PostgresStoreOptions? options = null)
        : this(RefuseMultiplexing(dataSource), options ?? new PostgresStoreOptions(), ownsDataSource: false)
    {
    }

    private PostgresStore(NpgsqlDataSource dataSource, PostgresStoreOptions options, bool ownsDataSource)
    {
        _lockTimeout = new PostgresLockTimeout(options.LockTimeout);
        _options = options;
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    private static NpgsqlDataSource CreateDataSource(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        var settings = new NpgsqlConnectionStringBuilder(ConnectionSettings(options.ConnectionString));
        RefuseMultiplexing(settings, nameof(options));
        _ = new PostgresLockTimeout(options.LockTimeout); // Fails before a data source exists to leak.
        return NpgsqlDataSource.Create(settings);
    }

    /// <summary>The settings of the store's own data source: the connection string as given, with automatic preparation.</summary>
    internal static string ConnectionSettings(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "maxautoprepare"))
        {
            // The store runs the same few statements over and over (the append, the processing commit, the reads):
            // prepared once per connection, the server stops parsing and planning them each time. A connection string
            // that sets Max Auto Prepare itself is followed, 0 included (PgBouncer before 1.21 in transaction mode
            // cannot keep prepared statements).
            settings.MaxAutoPrepare = AutoPreparedStatements;
        }

        return settings.ConnectionString;
    }

    /// <summary>How many statements each of the store's own connections keeps prepared, unless the connection string says.</summary>
    internal const int AutoPreparedStatements = 32;

    /// <summary>Whether the connection string sets <paramref name="keyword"/> (compared without spaces or case, as Npgsql reads it).</summary>
    private static bool Mentions(string connectionString, string keyword) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));

    private static NpgsqlDataSource RefuseMultiplexing(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        RefuseMultiplexing(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString), nameof(dataSource));
        return dataSource;
    }

    // A multiplexing connection sends each command outside a transaction down whichever physical connection is free,
    // so a session lock taken through it belongs to no one in particular.
    private static void RefuseMultiplexing(NpgsqlConnectionStringBuilder settings, string paramName)
    {
        if (settings.Multiplexing)
        {
            throw new ArgumentException("The PostgreSQL store cannot use multiplexing (Multiplexing=true): its processing lease is a lock held by one session.", paramName);
        }
    }

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await Guard(async () =>
        {
            await PostgresSchema.MigrateAsync(_dataSource, _lockTimeout, cancellationToken).ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);

    /// <inheritdoc/>
    public Task CheckWritableAsync(CancellationToken cancellationToken) =>
        WriteAsync(async write =>
        {
            // The lock an append takes, taken and released without writing: fails exactly when an append would.
            await using var command = write.Command("LOCK TABLE deliveries IN ROW EXCLUSIVE MODE;");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>
    /// Releases the processing lease, if held, and closes the store's connections. A data source given to the store
    /// stays open, its connections back in its pool: it is its owner's to dispose.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await ReleaseLeaseAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _leaseGate.Dispose();
    }

    private long Now() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<T> WriteAsync<T>(Func<PostgresWrite, Task<T>> work, CancellationToken cancellationToken) =>
        await Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(new PostgresWrite(connection, transaction, _lockTimeout)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }).ConfigureAwait(false);

    /// <summary>Every row the query returns, each read by <paramref name="row"/>.</summary>
    /// <remarks>
    /// A query runs outside a transaction but with the writes' lock timeout: a read waits only for the strongest locks
    /// (DDL, such as a newer instance's migration), and still must not hang on one.
    /// Rows are fetched with <c>ReadAsync</c>: a synchronous <c>Read</c> waits on the network, holding a thread-pool
    /// thread, whenever a result is larger than what has arrived (a page of bodies) — under load that starves the pool.
    /// <paramref name="row"/> only takes the current row's columns, which are in memory once it is fetched.
    /// </remarks>
    private async Task<IReadOnlyList<T>> ReadRowsAsync<T>(string sql, Action<NpgsqlCommand> parameters, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken) =>
        await Guard<IReadOnlyList<T>>(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(_lockTimeout.SetForQuery + " " + sql, connection);
            parameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // Past set_config's row, to the query's.
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
            await using var command = new NpgsqlCommand(_lockTimeout.SetForQuery + " " + sql, connection);
            parameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // Past set_config's row, to the query's.
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
