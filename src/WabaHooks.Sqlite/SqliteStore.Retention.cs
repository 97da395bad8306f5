using Microsoft.Data.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore : IRetentionStore
{
    // The conditions that keep a row, shared by the prune and its dry run so both always agree.
    private const string PrunableDeadLetters = "FROM sink_work WHERE state = 2 AND updated_at < $cut";
    private const string PrunableAttempts =
        "FROM sink_attempts a WHERE a.started_at < $cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.event_seq = (SELECT seq FROM events WHERE id = a.event_id) AND w.sink = a.sink AND w.state <> 1)";
    private const string PrunableEvents =
        "FROM events e WHERE e.stored_at < $cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.event_seq = e.seq AND w.state <> 1)";
    private const string PrunableDeliveries =
        "FROM delivery_outcomes o WHERE o.processed_at < $cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.delivery_id = o.delivery_id AND w.state <> 1)";
    private const string PrunableDedupeKeys = "FROM dedupe_keys WHERE stored_at < $cut";

    // Entries are appended in time order, so the oldest ids are the oldest entries and the step stops at its limit.
    private const string PrunableAuditLog = "FROM audit_log WHERE at < $cut";

    /// <inheritdoc/>
    /// <remarks>
    /// Each step is one immediate transaction on the writer, taken through the same lock as the inbox's group commit,
    /// which waits for at most one batch of one table. The removal is committed without its own fsync: a power cut can
    /// only bring back rows that the next prune removes again.
    /// </remarks>
    public async Task<PruneCounts> PruneBatchAsync(RetentionCutoffs cutoffs, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        // Dead letters first, so their events can follow in the same round; deliveries after events, since a delivery
        // waits for its events' work; the kept keys last.
        var deadLetters = await WriteAsync((c, t) => PruneDeadLetters(c, t, cutoffs.DeadLetters, batchSize), cancellationToken, durable: false).ConfigureAwait(false);
        var attempts = await WriteAsync((c, t) => Delete(c, t,
            $"DELETE FROM sink_attempts WHERE seq IN (SELECT a.seq {PrunableAttempts} ORDER BY a.started_at LIMIT $limit);", cutoffs.Attempts, batchSize),
            cancellationToken, durable: false).ConfigureAwait(false);
        var events = await WriteAsync((c, t) => PruneEvents(c, t, cutoffs, batchSize), cancellationToken, durable: false).ConfigureAwait(false);
        var deliveries = await WriteAsync((c, t) => PruneDeliveries(c, t, cutoffs.Deliveries, batchSize), cancellationToken, durable: false).ConfigureAwait(false);
        var keys = await WriteAsync((c, t) => Delete(c, t,
            $"DELETE FROM dedupe_keys WHERE id IN (SELECT id {PrunableDedupeKeys} ORDER BY stored_at LIMIT $limit);", cutoffs.DedupeHorizon, batchSize),
            cancellationToken, durable: false).ConfigureAwait(false);
        var audit = cutoffs.AuditLog is { } auditCut
            ? await WriteAsync((c, t) => Delete(c, t,
                $"DELETE FROM audit_log WHERE id IN (SELECT id {PrunableAuditLog} ORDER BY id LIMIT $limit);", auditCut, batchSize),
                cancellationToken, durable: false).ConfigureAwait(false)
            : 0;
        return new PruneCounts(deliveries, events, attempts, deadLetters, keys, audit);
    }

    /// <inheritdoc/>
    public Task<PruneCounts> CountPrunableAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        long Count(string from, DateTimeOffset cut)
        {
            using var command = connection.Command(transaction, $"SELECT count(*) {from};",
                ("$cut", cut.ToUnixTimeMilliseconds()), ("$dead", cutoffs.DeadLetters.ToUnixTimeMilliseconds()));
            return (long)command.ExecuteScalar()!;
        }

        // Read in one snapshot, as the prune would find them now. An event whose only open work is a dead letter past
        // its cutoff goes in the same round (the dead-letter step runs first), so the dry run counts it too.
        var deadLetters = Count(PrunableDeadLetters, cutoffs.DeadLetters);
        var attempts = Count(PrunableAttempts, cutoffs.Attempts);
        var events = Count(
            "FROM events e WHERE e.stored_at < $cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.event_seq = e.seq AND (w.state = 0 OR (w.state = 2 AND w.updated_at >= $dead)))",
            cutoffs.Events);
        var deliveries = Count(
            "FROM delivery_outcomes o WHERE o.processed_at < $cut AND NOT EXISTS (SELECT 1 FROM sink_work w WHERE w.delivery_id = o.delivery_id AND (w.state = 0 OR (w.state = 2 AND w.updated_at >= $dead)))",
            cutoffs.Deliveries);
        var keys = Count(PrunableDedupeKeys, cutoffs.DedupeHorizon);
        var audit = cutoffs.AuditLog is { } auditCut ? Count(PrunableAuditLog, auditCut) : 0;
        return Task.FromResult(new PruneCounts(deliveries, events, attempts, deadLetters, keys, audit));
    }

    /// <inheritdoc/>
    /// <remarks>The file's pages in use: its size less the free pages inside it, which new writes reuse first.</remarks>
    public Task<long?> GetUsedBytesAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.Command(null, "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size();");
        return Task.FromResult<long?>((long)command.ExecuteScalar()!);
    }

    /// <inheritdoc/>
    public Task<DateTimeOffset?> GetOldestProcessedAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.Command(null, "SELECT min(processed_at) FROM delivery_outcomes;");
        return Task.FromResult(command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <c>PRAGMA incremental_vacuum</c> moves up to that many pages from the end of the file into free pages and cuts the
    /// file; it runs under the writer's lock, so it is kept to a few megabytes a step. The file itself shrinks when the
    /// write-ahead log is next checkpointed.
    /// </remarks>
    public Task<long> ReleaseFreeSpaceAsync(long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        return WriteAsync((connection, transaction) =>
        {
            using var free = connection.Command(transaction, "SELECT freelist_count, page_size FROM pragma_freelist_count(), pragma_page_size();");
            long before, pageSize;
            using (var reader = free.ExecuteReader())
            {
                reader.Read();
                before = reader.GetInt64(0);
                pageSize = reader.GetInt64(1);
            }

            if (before == 0)
            {
                return 0L;
            }

            var pages = Math.Max(1, maxBytes / pageSize);
            using (var vacuum = connection.Command(transaction, FormattableString.Invariant($"PRAGMA incremental_vacuum({pages});")))
            using (var reader = vacuum.ExecuteReader())
            {
                while (reader.Read())
                {
                }
            }

            var after = (long)free.ExecuteScalar()!;
            return (before - after) * pageSize;
        }, cancellationToken, durable: false);
    }

    private static long Delete(SqliteConnection connection, SqliteTransaction transaction, string sql, DateTimeOffset cut, int limit)
    {
        using var command = connection.Command(transaction, sql, ("$cut", cut.ToUnixTimeMilliseconds()), ("$limit", limit));
        return command.ExecuteNonQuery();
    }

    /// <summary>A delivery goes with its outcome; the oldest processed first.</summary>
    private static long PruneDeliveries(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset cut, int limit)
    {
        var ids = new List<long>();
        using (var select = connection.Command(transaction,
            $"SELECT o.delivery_id {PrunableDeliveries} ORDER BY o.processed_at LIMIT $limit;", ("$cut", cut.ToUnixTimeMilliseconds()), ("$limit", limit)))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        using var outcome = connection.Command(transaction, "DELETE FROM delivery_outcomes WHERE delivery_id = $id;");
        using var delivery = connection.Command(transaction, "DELETE FROM deliveries WHERE id = $id;");
        var o = outcome.Parameter("$id");
        var d = delivery.Parameter("$id");
        foreach (var id in ids)
        {
            o.Value = d.Value = id;
            outcome.ExecuteNonQuery();
            delivery.ExecuteNonQuery();
        }

        return ids.Count;
    }

    private static long PruneDeadLetters(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset cut, int limit)
    {
        var pairs = new List<(string EventId, long EventSeq, string Sink)>();
        using (var select = connection.Command(transaction,
            $"SELECT event_id, event_seq, sink {PrunableDeadLetters} ORDER BY updated_at LIMIT $limit;", ("$cut", cut.ToUnixTimeMilliseconds()), ("$limit", limit)))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                pairs.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        using var attempts = connection.Command(transaction, "DELETE FROM sink_attempts WHERE event_id = $event AND sink = $sink;");
        using var work = connection.Command(transaction, "DELETE FROM sink_work WHERE event_seq = $seq AND sink = $sink;");
        var a = new[] { attempts.Parameter("$event"), attempts.Parameter("$sink") };
        var w = new[] { work.Parameter("$seq"), work.Parameter("$sink") };
        foreach (var (eventId, eventSeq, sink) in pairs)
        {
            a[0].Value = eventId;
            w[0].Value = eventSeq;
            a[1].Value = w[1].Value = sink;
            attempts.ExecuteNonQuery();
            work.ExecuteNonQuery();
        }

        return pairs.Count;
    }

    private static long PruneEvents(SqliteConnection connection, SqliteTransaction transaction, RetentionCutoffs cutoffs, int limit)
    {
        var events = new List<(long Seq, string Id, long StoredAt)>();
        using (var select = connection.Command(transaction,
            $"SELECT e.seq, e.id, e.stored_at {PrunableEvents} ORDER BY e.stored_at LIMIT $limit;", ("$cut", cutoffs.Events.ToUnixTimeMilliseconds()), ("$limit", limit)))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        // Everything keyed by the event goes with it; its key stays behind, alone, while Meta may still redeliver it.
        string[] byEventId =
        [
            "DELETE FROM sink_attempts WHERE event_id = $id;",
            "DELETE FROM sink_work WHERE event_seq = (SELECT seq FROM events WHERE id = $id);",
            "DELETE FROM message_status_timeline WHERE event_id = $id;",
            "DELETE FROM message_status WHERE event_id = $id;",
        ];
        var commands = byEventId.Select(sql => connection.Command(transaction, sql)).ToList();
        using var keep = connection.Command(transaction, "INSERT INTO dedupe_keys (id, stored_at) VALUES ($id, $stored_at) ON CONFLICT (id) DO NOTHING;");
        using var delete = connection.Command(transaction, "DELETE FROM events WHERE seq = $seq;");
        try
        {
            var ids = commands.Select(c => c.Parameter("$id")).ToList();
            var keepId = keep.Parameter("$id");
            var keepStoredAt = keep.Parameter("$stored_at");
            var seq = delete.Parameter("$seq");
            var horizon = cutoffs.DedupeHorizon.ToUnixTimeMilliseconds();
            foreach (var (eventSeq, id, storedAt) in events)
            {
                for (var i = 0; i < commands.Count; i++)
                {
                    ids[i].Value = id;
                    commands[i].ExecuteNonQuery();
                }

                if (storedAt >= horizon)
                {
                    keepId.Value = id;
                    keepStoredAt.Value = storedAt;
                    keep.ExecuteNonQuery();
                }

                seq.Value = eventSeq;
                delete.ExecuteNonQuery();
            }
        }
        finally
        {
            commands.ForEach(c => c.Dispose());
        }

        return events.Count;
    }
}
