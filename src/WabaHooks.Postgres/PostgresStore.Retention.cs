using Npgsql;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore : IRetentionStore
{
    // The conditions that keep a row, shared by the prune and its dry run so both always agree.
    private const string PrunableDeadLetters = "FROM sink_work WHERE state = 2 AND updated_at < @cut";
    private const string PrunableAttempts =
        "FROM sink_attempts a WHERE a.started_at < @cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = a.event_id AND w.sink = a.sink AND w.state <> 1)";
    private const string PrunableEvents =
        "FROM events e WHERE e.stored_at < @cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = e.id AND w.state <> 1)";
    private const string PrunableDeliveries =
        "FROM delivery_outcomes o WHERE o.processed_at < @cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.delivery_id = o.delivery_id AND w.state <> 1)";
    private const string PrunableDedupeKeys = "FROM dedupe_keys WHERE stored_at < @cut";

    // Entries are appended in time order, so the oldest ids are the oldest entries and the step stops at its limit.
    private const string PrunableAuditLog = "FROM audit_log WHERE at < @cut";

    /// <inheritdoc/>
    /// <remarks>
    /// Each step is one short transaction that deletes in one statement. Rows are taken with <c>FOR UPDATE SKIP
    /// LOCKED</c>, so two instances pruning at once split the work instead of waiting on each other, and a row another
    /// transaction is changing is left for the next round. Deleting in batches rather than partitioning by time: the
    /// protected rows (pending work, dead letters) are scattered through time, so a whole partition could rarely be
    /// dropped at once, and every query would have to name the partition key.
    /// </remarks>
    public async Task<PruneCounts> PruneBatchAsync(RetentionCutoffs cutoffs, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        // Dead letters first, so their events can follow in the same round; deliveries after events; kept keys last.
        var deadLetters = await PruneStepAsync(
            $"""
            WITH gone AS (
                DELETE FROM sink_work WHERE (event_id, sink) IN (
                    SELECT event_id, sink {PrunableDeadLetters} ORDER BY updated_at LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING event_id, sink),
            attempts AS (DELETE FROM sink_attempts s USING gone WHERE s.event_id = gone.event_id AND s.sink = gone.sink)
            SELECT count(*) FROM gone;
            """, cutoffs.DeadLetters, cutoffs, batchSize, cancellationToken).ConfigureAwait(false);
        var attempts = await PruneStepAsync(
            $"""
            WITH gone AS (
                DELETE FROM sink_attempts WHERE seq IN (SELECT a.seq {PrunableAttempts} ORDER BY a.started_at LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING 1)
            SELECT count(*) FROM gone;
            """, cutoffs.Attempts, cutoffs, batchSize, cancellationToken).ConfigureAwait(false);

        // Everything keyed by the event goes with it; its key stays behind, alone, while Meta may still redeliver it.
        var events = await PruneStepAsync(
            $"""
            WITH gone AS (
                DELETE FROM events WHERE seq IN (SELECT e.seq {PrunableEvents} ORDER BY e.stored_at LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING id, stored_at),
            work AS (DELETE FROM sink_work s USING gone WHERE s.event_id = gone.id),
            attempts AS (DELETE FROM sink_attempts s USING gone WHERE s.event_id = gone.id),
            timeline AS (DELETE FROM message_status_timeline s USING gone WHERE s.event_id = gone.id),
            status AS (DELETE FROM message_status s USING gone WHERE s.event_id = gone.id),
            kept AS (INSERT INTO dedupe_keys (id, stored_at) SELECT id, stored_at FROM gone WHERE stored_at >= @horizon ON CONFLICT (id) DO NOTHING)
            SELECT count(*) FROM gone;
            """, cutoffs.Events, cutoffs, batchSize, cancellationToken).ConfigureAwait(false);
        var deliveries = await PruneStepAsync(
            $"""
            WITH gone AS (
                DELETE FROM delivery_outcomes WHERE delivery_id IN (
                    SELECT o.delivery_id {PrunableDeliveries} ORDER BY o.processed_at LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING delivery_id),
            bodies AS (DELETE FROM deliveries d USING gone WHERE d.id = gone.delivery_id)
            SELECT count(*) FROM gone;
            """, cutoffs.Deliveries, cutoffs, batchSize, cancellationToken).ConfigureAwait(false);
        var keys = await PruneStepAsync(
            $"""
            WITH gone AS (
                DELETE FROM dedupe_keys WHERE id IN (SELECT id {PrunableDedupeKeys} ORDER BY stored_at LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING 1)
            SELECT count(*) FROM gone;
            """, cutoffs.DedupeHorizon, cutoffs, batchSize, cancellationToken).ConfigureAwait(false);
        var audit = cutoffs.AuditLog is { } auditCut
            ? await PruneStepAsync(
                $"""
                WITH gone AS (
                    DELETE FROM audit_log WHERE id IN (SELECT id {PrunableAuditLog} ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED)
                    RETURNING 1)
                SELECT count(*) FROM gone;
                """, auditCut, cutoffs, batchSize, cancellationToken).ConfigureAwait(false)
            : 0;
        return new PruneCounts(deliveries, events, attempts, deadLetters, keys, audit);
    }

    private Task<long> PruneStepAsync(string sql, DateTimeOffset cut, RetentionCutoffs cutoffs, int limit, CancellationToken cancellationToken) =>
        WriteAsync(async write =>
        {
            await using var command = write.Command(sql);
            command.Long("cut", cut.ToUnixTimeMilliseconds()).Int("limit", limit).Long("horizon", cutoffs.DedupeHorizon.ToUnixTimeMilliseconds());
            return await FirstLongAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<PruneCounts> CountPrunableAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        async Task<long> Count(string from, DateTimeOffset cut) =>
            (await ReadRowsAsync($"SELECT count(*) {from};",
                c => c.Long("cut", cut.ToUnixTimeMilliseconds()).Long("dead", cutoffs.DeadLetters.ToUnixTimeMilliseconds()),
                r => r.GetInt64(0), cancellationToken).ConfigureAwait(false))[0];

        var deadLetters = await Count(PrunableDeadLetters, cutoffs.DeadLetters).ConfigureAwait(false);
        var attempts = await Count(PrunableAttempts, cutoffs.Attempts).ConfigureAwait(false);

        // An event whose only open work is a dead letter past its cutoff goes in the same round (the dead-letter step
        // runs first), so the dry run counts it too.
        var events = await Count(
            "FROM events e WHERE e.stored_at < @cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = e.id AND (w.state = 0 OR (w.state = 2 AND w.updated_at >= @dead)))",
            cutoffs.Events).ConfigureAwait(false);
        var deliveries = await Count(
            "FROM delivery_outcomes o WHERE o.processed_at < @cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.delivery_id = o.delivery_id AND (w.state = 0 OR (w.state = 2 AND w.updated_at >= @dead)))",
            cutoffs.Deliveries).ConfigureAwait(false);
        var keys = await Count(PrunableDedupeKeys, cutoffs.DedupeHorizon).ConfigureAwait(false);
        var audit = cutoffs.AuditLog is { } auditCut ? await Count(PrunableAuditLog, auditCut).ConfigureAwait(false) : 0;
        return new PruneCounts(deliveries, events, attempts, deadLetters, keys, audit);
    }

    /// <inheritdoc/>
    /// <remarks>Always <see langword="null"/>: PostgreSQL reuses the space of removed rows (autovacuum) instead of shrinking its files.</remarks>
    public Task<long?> GetUsedBytesAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <inheritdoc/>
    public async Task<DateTimeOffset?> GetOldestProcessedAsync(CancellationToken cancellationToken)
    {
        var rows = await ReadRowsAsync("SELECT min(processed_at) FROM delivery_outcomes;", _ => { },
            r => r.IsDBNull(0) ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc/>
    /// <remarks>Always 0: autovacuum makes the space of removed rows reusable for new ones, which bounds the files without a step of ours.</remarks>
    public Task<long> ReleaseFreeSpaceAsync(long maxBytes, CancellationToken cancellationToken) => Task.FromResult(0L);

    /// <summary>The first column of the first row of whichever result has one: the lock-timeout statement ahead of the query returns none.</summary>
    private static async Task<long> FirstLongAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return reader.GetInt64(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return 0;
    }
}
