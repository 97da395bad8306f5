using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so every commit is fsynced to the
/// write-ahead log before it returns — a committed delivery survives a process crash and a power cut. One connection
/// writes (the group-commit writer is its only caller); reads use their own pooled connections and never block it.
/// </summary>
public sealed partial class SqliteStore : IWabaHooksStore
{
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteCommand? _insertDelivery;
    private bool _disposed;
    private readonly CancellationTokenSource _stopCheckpoints = new();
    private Task? _checkpoints;

    /// <summary>Creates a store over the file named in <paramref name="options"/>. Nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="ArgumentException">No database path is set.</exception>
    public SqliteStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DatabasePath, nameof(options));
        _options = options;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: this bounds every wait on a lock.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string DatabasePath => _options.DatabasePath;

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(_options.DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var connection = Open();
        SqliteSchema.Migrate(connection);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<InboundDelivery> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return AppendLocked(batch);
        }
        catch (SqliteException ex)
        {
            // Start the next batch on a fresh connection: this one may be in an unknown state.
            ResetWriter();
            throw new StoreUnavailableException($"SQLite could not commit the batch: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one immediate transaction on the writer connection.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken, bool durable = true)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var (connection, _) = Writer();
            if (!durable)
            {
                SetSynchronous(connection, "NORMAL");
            }

            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = work(connection, transaction);
                transaction.Commit();
                return result;
            }
            finally
            {
                if (!durable)
                {
                    SetSynchronous(connection, "FULL");
                }
            }
        }
        catch (SqliteException ex) when (!IsRefusedData(ex))
        {
            ResetWriter();
            throw new StoreUnavailableException($"SQLite could not commit: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Whether SQLite refused what was written (a constraint, a value too big or of the wrong kind) rather than being
    /// unable to write at all. The transaction is rolled back and the connection stays usable; the caller decides what
    /// to do with the data, so such errors are not reported as the store being unavailable.
    /// </summary>
    internal static bool IsRefusedData(SqliteException ex) =>
        (ex.SqliteErrorCode & 0xFF) is SQLitePCL.raw.SQLITE_CONSTRAINT or SQLitePCL.raw.SQLITE_MISMATCH or SQLitePCL.raw.SQLITE_TOOBIG or SQLitePCL.raw.SQLITE_RANGE;

    private static void SetSynchronous(SqliteConnection connection, string level)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous = {level};";
        pragma.ExecuteNonQuery();
    }

    private long Now() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private long[] AppendLocked(IReadOnlyList<InboundDelivery> batch)
    {
        var (connection, insert) = Writer();
        var ids = new long[batch.Count];
        using var transaction = connection.BeginTransaction(deferred: false);
        insert.Transaction = transaction;
        var p = insert.Parameters;
        for (var i = 0; i < batch.Count; i++)
        {
            var delivery = batch[i];
            p[0].Value = delivery.ReceivedAt.ToUnixTimeMilliseconds();
            p[1].Value = delivery.AppId;
            p[2].Value = delivery.Body.Length;
            p[3].Value = (int)delivery.Flags;
            p[4].Value = AsArray(delivery.Body);
            insert.ExecuteNonQuery();

            // Cheaper than RETURNING, which opens a data reader per row.
            ids[i] = SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle);
        }

        transaction.Commit();
        return ids;
    }

    /// <inheritdoc/>
    public Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            // Takes and releases the write lock without writing: fails exactly when an append would.
            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            command.ExecuteNonQuery();
            return Task.CompletedTask;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException($"SQLite does not accept writes: {ex.Message}", ex);
        }
    }

    /// <summary>Checkpoints the write-ahead log into the database file and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _stopCheckpoints.CancelAsync().ConfigureAwait(false);
            if (_checkpoints is not null)
            {
                await _checkpoints.ConfigureAwait(false);
            }

            _stopCheckpoints.Dispose();
            if (_writer is not null)
            {
                try
                {
                    using var checkpoint = _writer.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                    checkpoint.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // A reader holds the log: it is checkpointed on the next open instead.
                }
            }

            ResetWriter();
            using var pooled = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private (SqliteConnection Connection, SqliteCommand Insert) Writer()
    {
        if (_writer is null || _insertDelivery is null)
        {
            _writer = Open();
            using (var pragma = _writer.CreateCommand())
            {
                // Checkpoints run on their own connection (below), so a commit never waits for one. The automatic
                // checkpoint stays as a safety net at 64 MiB of log, far above what the background one lets build up.
                pragma.CommandText = "PRAGMA wal_autocheckpoint = 16384;";
                pragma.ExecuteNonQuery();
            }

            _checkpoints ??= Task.Run(() => CheckpointLoopAsync(_stopCheckpoints.Token));
            _insertDelivery = _writer.CreateCommand();
            _insertDelivery.CommandText =
                "INSERT INTO deliveries (received_at, app_id, length, flags, body) VALUES ($received_at, $app_id, $length, $flags, $body);";
            _insertDelivery.Parameters.Add("$received_at", SqliteType.Integer);
            _insertDelivery.Parameters.Add("$app_id", SqliteType.Text);
            _insertDelivery.Parameters.Add("$length", SqliteType.Integer);
            _insertDelivery.Parameters.Add("$flags", SqliteType.Integer);
            _insertDelivery.Parameters.Add("$body", SqliteType.Blob);
            _insertDelivery.Prepare();
        }

        return (_writer, _insertDelivery);
    }

    private void ResetWriter()
    {
        _insertDelivery?.Dispose();
        _insertDelivery = null;
        _writer?.Dispose();
        _writer = null;
    }

    private async Task CheckpointLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    using var connection = Open();
                    using var command = connection.CreateCommand();
                    // PASSIVE never blocks the writer; it copies what it can and tries again next tick.
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    // Busy or briefly unavailable: the next tick retries, and the automatic checkpoint is the backstop.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The writer connection's <c>PRAGMA synchronous</c> (2 = FULL), for tests that prove durability settings.</summary>
    internal long WriterSynchronousMode()
    {
        using var command = Writer().Connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return (long)command.ExecuteScalar()!;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // journal_mode is stored in the file; synchronous is per connection, so every connection sets both.
        pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
        pragmas.ExecuteNonQuery();
        return connection;
    }
}
