using WabaHooks.Storage;

namespace WabaHooks.Hosting.Retention;

/// <summary>
/// One prune of a store: batches until nothing past the cutoffs is left, then the size cap, then freed space given
/// back. The background service runs it on a timer; <c>wabahooks prune</c> runs it once.
/// </summary>
/// <remarks>
/// Each batch takes the store's write lock once per table and lets go. The SQLite store's lock is a
/// <see cref="SemaphoreSlim"/>, which hands itself to waiting callers in the order they came, so an inbox commit that
/// arrives during a batch runs right after it, never after the whole prune.
/// </remarks>
public sealed class RetentionPruner
{
    /// <summary>How much freed space one step gives back: 4 MiB, a few milliseconds of the writer's time.</summary>
    public const long ReleaseStepBytes = 4L * 1024 * 1024;

    private readonly IRetentionStore _store;
    private readonly int _batchSize;

    /// <summary>Creates a pruner over <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="batchSize">Most rows removed from one table in one transaction.</param>
    public RetentionPruner(IRetentionStore store, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _store = store;
        _batchSize = batchSize;
    }

    /// <summary>Removes everything past <paramref name="cutoffs"/>, a batch at a time.</summary>
    /// <returns>What was removed, per table.</returns>
    public async Task<PruneCounts> PruneAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        var total = PruneCounts.None;
        PruneCounts batch;
        do
        {
            batch = await _store.PruneBatchAsync(cutoffs, _batchSize, cancellationToken).ConfigureAwait(false);
            total += batch;

            // Let whatever queued behind the batch (an inbox commit, a claim) have its turn on this thread pool too.
            await Task.Yield();
        }
        while (batch.Largest >= _batchSize);

        return total;
    }

    /// <summary>
    /// While the store holds more than <paramref name="maxStoreBytes"/>, removes the oldest processed deliveries and
    /// events beyond their retention: each round moves the cutoff an eighth of the way from the oldest processed
    /// delivery to <paramref name="now"/>, so it removes the oldest history first and stops as soon as the store fits.
    /// </summary>
    /// <returns>What was removed, per table.</returns>
    public async Task<PruneCounts> EnforceSizeCapAsync(long maxStoreBytes, RetentionCutoffs cutoffs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var total = PruneCounts.None;
        for (var round = 0; round < 64; round++)
        {
            var used = await _store.GetUsedBytesAsync(cancellationToken).ConfigureAwait(false);
            if (used is null || used <= maxStoreBytes || await _store.GetOldestProcessedAsync(cancellationToken).ConfigureAwait(false) is not { } oldest)
            {
                break;
            }

            var cut = oldest + ((now - oldest) / 8) + TimeSpan.FromMilliseconds(1);
            var removed = await PruneAsync(cutoffs with
            {
                Deliveries = Later(cutoffs.Deliveries, cut),
                Events = Later(cutoffs.Events, cut),
                Attempts = Later(cutoffs.Attempts, cut),
            }, cancellationToken).ConfigureAwait(false);
            total += removed;
            await ReleaseFreeSpaceAsync(cancellationToken).ConfigureAwait(false);
            if (removed.Total == 0 && cut >= now)
            {
                break; // Only protected rows are left.
            }
        }

        return total;
    }

    /// <summary>Gives space freed by pruning back to the filesystem, a step at a time.</summary>
    /// <returns>The bytes given back.</returns>
    public async Task<long> ReleaseFreeSpaceAsync(CancellationToken cancellationToken)
    {
        long total = 0, step;
        do
        {
            step = await _store.ReleaseFreeSpaceAsync(ReleaseStepBytes, cancellationToken).ConfigureAwait(false);
            total += step;
            await Task.Yield();
        }
        while (step > 0);

        return total;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
