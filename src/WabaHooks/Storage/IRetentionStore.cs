namespace WabaHooks.Storage;

/// <summary>
/// Removes what is older than the retention settings, a small batch at a time, and gives freed space back. Every store
/// keeps the same rules: a delivery not yet processed, an event with pending or dead-lettered sink work, and the
/// idempotency key of an event stored inside Meta's redelivery horizon are never removed by a prune.
/// </summary>
/// <remarks>
/// Each table is pruned by its own step, in a transaction of its own, so the write lock is held for one batch of one
/// table at a time and the inbox's group commit gets its turn in between. A table added later (the audit log) adds a
/// cutoff to <see cref="RetentionCutoffs"/>, a count to <see cref="PruneCounts"/> and one step to each store, as the
/// audit log did.
/// </remarks>
public interface IRetentionStore
{
    /// <summary>
    /// Removes at most <paramref name="batchSize"/> rows from each table whose rows are past their cutoff, one short
    /// transaction per table. Call it again while any count equals <paramref name="batchSize"/>.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store could not commit; what earlier steps removed stays removed.</exception>
    Task<PruneCounts> PruneBatchAsync(RetentionCutoffs cutoffs, int batchSize, CancellationToken cancellationToken);

    /// <summary>Counts what <see cref="PruneBatchAsync"/> would remove for <paramref name="cutoffs"/>, removing nothing.</summary>
    Task<PruneCounts> CountPrunableAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken);

    /// <summary>
    /// The bytes the store's data takes now, for the size cap (SQLite: the file's pages in use); <see langword="null"/>
    /// when the store cannot tell (PostgreSQL reuses the space of removed rows rather than giving it back, so the size
    /// on disk is not what a cap should watch).
    /// </summary>
    Task<long?> GetUsedBytesAsync(CancellationToken cancellationToken);

    /// <summary>When the oldest processed delivery was processed, or <see langword="null"/> when there is none: where the size cap starts.</summary>
    Task<DateTimeOffset?> GetOldestProcessedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Gives at most <paramref name="maxBytes"/> of space freed by pruning back to the filesystem, in one short step;
    /// returns the bytes given back (0 when there is nothing to give, or the database keeps freed space for reuse, as
    /// PostgreSQL does).
    /// </summary>
    Task<long> ReleaseFreeSpaceAsync(long maxBytes, CancellationToken cancellationToken);
}

/// <summary>
/// What a prune removes, per table: rows older than each cutoff. Compute it with <c>RetentionOptions</c> in the host,
/// or set it directly for a one-off prune.
/// </summary>
/// <param name="Deliveries">Processed raw deliveries processed before this are removed, unless one of their events still has pending or dead-lettered work.</param>
/// <param name="Events">Events stored before this are removed with their delivered work, unless they have pending or dead-lettered work.</param>
/// <param name="Attempts">Attempts started before this are removed, unless their (event, sink) pair is still pending or dead.</param>
/// <param name="DeadLetters">Dead letters last tried before this are removed (with their attempts); their events then follow <paramref name="Events"/>.</param>
/// <param name="DedupeHorizon">
/// The idempotency key of an event stored at or after this is kept after its event is removed, so a late redelivery
/// from Meta is still recognised as a duplicate; kept keys older than this are removed.
/// </param>
/// <param name="AuditLog">Audit log entries (operator actions) written before this are removed; <see langword="null"/> keeps them all.</param>
public sealed record RetentionCutoffs(
    DateTimeOffset Deliveries,
    DateTimeOffset Events,
    DateTimeOffset Attempts,
    DateTimeOffset DeadLetters,
    DateTimeOffset DedupeHorizon,
    DateTimeOffset? AuditLog = null);

/// <summary>Rows removed (or, for a dry run, that would be), per table.</summary>
/// <param name="Deliveries">Raw deliveries.</param>
/// <param name="Events">Events, with their delivered work and their rows in the status view.</param>
/// <param name="Attempts">Sink attempts.</param>
/// <param name="DeadLetters">Dead-lettered (event, sink) pairs.</param>
/// <param name="DedupeKeys">Kept idempotency keys that passed the redelivery horizon.</param>
/// <param name="AuditLog">Audit log entries.</param>
public sealed record PruneCounts(long Deliveries, long Events, long Attempts, long DeadLetters, long DedupeKeys, long AuditLog = 0)
{
    /// <summary>Nothing.</summary>
    public static PruneCounts None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The larger count of any one table: a batch that removed its whole size says there may be more.</summary>
    public long Largest => Math.Max(Math.Max(Math.Max(Deliveries, Events), Math.Max(Attempts, DeadLetters)), Math.Max(DedupeKeys, AuditLog));

    /// <summary>Every row, all tables together.</summary>
    public long Total => Deliveries + Events + Attempts + DeadLetters + DedupeKeys + AuditLog;

    /// <summary>Adds two counts, table by table.</summary>
    public static PruneCounts operator +(PruneCounts left, PruneCounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Deliveries + right.Deliveries, left.Events + right.Events, left.Attempts + right.Attempts,
            left.DeadLetters + right.DeadLetters, left.DedupeKeys + right.DedupeKeys, left.AuditLog + right.AuditLog);
    }

    /// <summary>Adds two counts, table by table.</summary>
    public static PruneCounts Add(PruneCounts left, PruneCounts right) => left + right;
}
