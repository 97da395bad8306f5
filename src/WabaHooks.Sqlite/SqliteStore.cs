using Microsoft.Data.Sqlite;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so every commit is fsynced to the
/// write-ahead log before it returns — a committed delivery survives a process crash and a power cut. One connection
/// writes (the group-commit writer is its only caller); reads use their own pooled connections and never block it.
/// </summary>
/// <remarks>
/// Two things keep a full disk from becoming an outage that needs an operator. The write-ahead log is kept bounded
/// (<see cref="SqliteStoreOptions.WalSizeLimitBytes"/>): a checkpoint that only copies (PASSIVE) never completes under
/// sustained load, since the log can be restarted only when every frame is copied and no commit came in between, so
/// the log would grow without end; past the limit a checkpoint holds the writer back briefly and restarts it. And new
/// deliveries are refused below a free-space reserve (<see cref="SqliteStoreOptions.FreeSpaceReserveBytes"/>), so
/// checkpoints and the processor always have room to run and the store recovers by itself when space comes back.
/// </remarks>
public sealed partial class SqliteStore : IWabaHooksStore
{
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly string _writerConnectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private InboxInsert? _insertDelivery;
    private bool _disposed;
    private readonly CancellationTokenSource _stopCheckpoints = new();
    private Task? _checkpoints;
    private readonly FreeSpaceReserve _reserve;
    private readonly long _walSizeLimit;

    /// <summary>Creates a store over the file named in <paramref name="options"/>. Nothing is opened until <see cref="InitializeAsync"/>.</summary>
    /// <exception cref="ArgumentException">No database path is set.</exception>
    public SqliteStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DatabasePath, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.FreeSpaceReserveBytes, nameof(options) + "." + nameof(options.FreeSpaceReserveBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WalSizeLimitBytes, MinimumWalSizeLimit, nameof(options) + "." + nameof(options.WalSizeLimitBytes));
        _options = options;
        _walSizeLimit = options.WalSizeLimitBytes;
        _reserve = new FreeSpaceReserve(
            Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath)) ?? ".", options.FreeSpaceReserveBytes, options.TimeProvider, options.FreeSpaceProbe);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: this bounds every wait on a lock.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();

        // The writer is never pooled: after a failed commit (a full disk, an I/O error) ResetWriter must give the next
        // batch a really fresh connection, not the same native handle back from the pool with whatever state it had.
        _writerConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
    }

    /// <summary>The smallest <see cref="SqliteStoreOptions.WalSizeLimitBytes"/>: below it checkpoints would hold the writer back all the time.</summary>
    internal const long MinimumWalSizeLimit = 1024 * 1024;

    /// <summary>How often the background checkpoint runs. Short, so that the log grows by little more than the limit between two looks.</summary>
    internal static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

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

        // A log left large by a crash (or by an older release) is copied and cut back now, before new load adds to it.
        // On a full disk the copy can fail: the background checkpoint tries again once there is room.
        try
        {
            TryCheckpoint(connection, "TRUNCATE");
        }
        catch (SqliteException)
        {
        }

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
            _reserve.Admit(BatchBytes(batch));
            var ids = AppendLocked(batch);
            RestartLogIfOverLimit();
            return ids;
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

    private static long BatchBytes(IReadOnlyList<InboundDelivery> batch)
    {
        long bytes = 0;
        foreach (var delivery in batch)
        {
            bytes += delivery.Body.Length;
        }

        return bytes;
    }

    private long Now() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private long[] AppendLocked(IReadOnlyList<InboundDelivery> batch)
    {
        var (connection, insert) = Writer();
        var ids = new long[batch.Count];
        using var transaction = connection.BeginTransaction(deferred: false);
        for (var i = 0; i < batch.Count; i++)
        {
            ids[i] = insert.Execute(batch[i]);
        }

        transaction.Commit();
        return ids;
    }

    /// <inheritdoc/>
    /// <remarks>Also fails while the free space is below the reserve, since appends are refused then.</remarks>
    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _reserve.Admit(0);
        }
        finally
        {
            _writeLock.Release();
        }

        try
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            // Takes and releases the write lock without writing: fails exactly when an append would.
            command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
            command.ExecuteNonQuery();
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

    private (SqliteConnection Connection, InboxInsert Insert) Writer()
    {
        if (_writer is null || _insertDelivery is null)
        {
            _writer = Open(_writerConnectionString);
            using (var pragma = _writer.CreateCommand())
            {
                // Checkpoints run in the background (below), so a commit rarely waits for one. The automatic checkpoint
                // stays as a safety net at twice the limit, which the background one does not let the log reach.
                // busy_timeout: how long the restarting checkpoint, run on this connection, waits for
                // readers to move off the log; Microsoft.Data.Sqlite's own retries do not cover a checkpoint.
                pragma.CommandText = FormattableString.Invariant(
                    $"PRAGMA wal_autocheckpoint = {Math.Clamp(_walSizeLimit / PageSize(_writer) * 2, 1, int.MaxValue)}; PRAGMA busy_timeout = {CheckpointReaderWaitMs};");
                pragma.ExecuteNonQuery();
            }

            _checkpoints ??= Task.Run(() => CheckpointLoopAsync(_stopCheckpoints.Token));
            _insertDelivery = new InboxInsert(_writer);
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
        // Real time, not the store's clock: the log grows with real writes, and a test clock moved on by days would
        // fire a quarter-second timer millions of times in one step.
        using var timer = new PeriodicTimer(CheckpointInterval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckpointAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// One round of the background checkpoint: a PASSIVE one, which never blocks the writer and copies most of the log;
    /// then, when the log still holds more than half the limit, a RESTART one under the write lock.
    /// </summary>
    /// <returns>The size of the log file after the round, in bytes.</returns>
    internal async Task<long> CheckpointAsync(CancellationToken cancellationToken)
    {
        long frames;
        try
        {
            using var connection = Open();
            frames = TryCheckpoint(connection, "PASSIVE").Log;
        }
        catch (SqliteException)
        {
            // Briefly unavailable: the next tick retries, and the automatic checkpoint is the backstop.
            return WalFileSize();
        }

        // PASSIVE alone cannot bound the log under load: the log restarts from its beginning only when a checkpoint
        // has copied every frame and no commit came in meanwhile, which a steady stream of commits never allows. So
        // past half the limit the writer waits (the group-commit writer queues behind the lock, appends are delayed
        // by a few milliseconds, never refused) while a RESTART checkpoint copies the rest and waits for readers to
        // leave the log, so the next commit writes from its beginning again. RESTART rather than TRUNCATE: the file
        // keeps its blocks (journal_size_limit cuts it back to the limit), so commits overwrite allocated space and
        // their fsync need not also flush a new file size.
        if (frames * _pageSize > _walSizeLimit / 2)
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_disposed)
                {
                    try
                    {
                        var (connection, _) = Writer();
                        TryCheckpoint(connection, "RESTART");
                    }
                    catch (SqliteException)
                    {
                        // A full disk (the database file cannot grow to take the log's pages): the next tick retries.
                        // A failed checkpoint changes nothing, so the writer connection stays usable.
                    }
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }

        return WalFileSize();
    }

    /// <summary>
    /// The hard bound on the log, checked after each inbox commit: the background checkpoint looks only every
    /// <see cref="CheckpointInterval"/>, and a fast writer can add more than the limit in between. The file size is a
    /// stat, cheap enough for every batch; it exceeds the limit only when the log really grew past it, since the first
    /// commit into a restarted log cuts the file back to the limit (<c>journal_size_limit</c>). Called under the write
    /// lock, after the commit: nothing here may fail the batch, which is already durable and about to be acknowledged.
    /// </summary>
    private void RestartLogIfOverLimit()
    {
        if (_writer is null || WalFileSize() <= _walSizeLimit)
        {
            return;
        }

        try
        {
            TryCheckpoint(_writer, "RESTART");
        }
        catch (SqliteException)
        {
            // A full disk or a busy reader: the background checkpoint tries again.
        }
    }

    /// <summary>How long a restarting checkpoint waits for readers to leave the log, in milliseconds.</summary>
    private const int CheckpointReaderWaitMs = 200;

    private long _pageSize = 4096;

    private long PageSize(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size;";
        _pageSize = (long)command.ExecuteScalar()!;
        return _pageSize;
    }

    /// <summary>Runs <c>PRAGMA wal_checkpoint(mode)</c>: Busy 1 when it could not finish, Log frames in the log, Copied frames copied.</summary>
    private static (long Busy, long Log, long Copied) TryCheckpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : (1, 0, 0);
    }

    /// <summary>The size of the write-ahead log file; 0 when there is none.</summary>
    internal long WalFileSize()
    {
        var wal = new FileInfo(_options.DatabasePath + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    /// <summary>The writer connection's <c>PRAGMA synchronous</c> (2 = FULL), for tests that prove durability settings.</summary>
    internal long WriterSynchronousMode()
    {
        using var command = Writer().Connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Caps the writer connection's database at its current size plus <paramref name="extraPages"/>
    /// (<c>PRAGMA max_page_count</c>), so SQLite answers SQLITE_FULL as on a full disk: for tests without a filesystem
    /// to fill. The cap lives on the connection, which the store replaces after a failed commit.
    /// </summary>
    internal void LimitWriterPages(int extraPages)
    {
        using var command = Writer().Connection.CreateCommand();
        command.CommandText = "PRAGMA page_count;";
        var pages = (long)command.ExecuteScalar()!;
        command.CommandText = FormattableString.Invariant($"PRAGMA max_page_count = {pages + extraPages};");
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open() => Open(_connectionString);

    private SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // journal_mode is stored in the file; synchronous is per connection, so every connection sets both.
        // journal_size_limit is per connection too: whichever connection restarts the log cuts it back to the limit, so
        // a burst does not leave a large file behind.
        pragmas.CommandText = FormattableString.Invariant(
            $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = {_walSizeLimit};");
        pragmas.ExecuteNonQuery();
        return connection;
    }
}
