using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using WabaHooks.Events;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore
{
    private const string EventColumns = "seq, id, type, field, waba_id, phone_number_id, occurred_at, delivery_id, position, stored_at, raw_json, test";

    /// <inheritdoc/>
    /// <remarks>One process owns a SQLite file: always granted.</remarks>
    public Task<bool> TryHoldProcessingLeaseAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    /// <inheritdoc/>
    public Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Derived data is committed without its own fsync (synchronous=NORMAL for this transaction): it can always be
        // rebuilt from the inbox, which is. A power cut can lose the latest processor commit, never an acknowledged
        // delivery; the deliveries are then processed again and deduplicated on their keys. The next inbox commit's
        // fsync makes these frames durable too, since the WAL is synced as a whole.
        return WriteAsync((connection, _) => CommitProcessed(connection, batch), cancellationToken, durable: false);
    }

    private ProcessingResult CommitProcessed(SqliteConnection connection, ProcessedBatch batch)
    {
        var now = Now();
        using var statements = new ProcessingStatements(connection);
        int stored = 0, duplicates = 0;
        foreach (var delivery in batch.Deliveries)
        {
            int deliveryStored = 0, deliveryDuplicates = 0;
            foreach (var e in delivery.Events)
            {
                if (!statements.InsertEvent(e, delivery.DeliveryId, now, out var seq))
                {
                    deliveryDuplicates++;
                    continue;
                }

                deliveryStored++;
                foreach (var sink in e.Sinks)
                {
                    var ordered = e.ConversationKey is not null && IsOrdered(e, sink);
                    statements.InsertWork(e.Id, sink, seq, delivery.DeliveryId, now, ordered ? e.ConversationKey : null, ordered ? e.OccurredAt?.ToUnixTimeMilliseconds() ?? now : null);
                }

                if (e.Status is { } status)
                {
                    statements.Status.Apply(e.Id, delivery.DeliveryId, status);
                }
            }

            statements.MarkProcessed(delivery.DeliveryId, now, deliveryStored, deliveryDuplicates, delivery.ParseError);
            stored += deliveryStored;
            duplicates += deliveryDuplicates;
        }

        return new ProcessingResult(stored, duplicates);
    }

    private static bool IsOrdered(NewEvent e, string sink)
    {
        var ordered = e.OrderedSinks;
        for (var i = 0; i < ordered.Count; i++)
        {
            if (string.Equals(ordered[i], sink, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var (where, parameters) = SqliteStore.EventFilter(query);
        // Following (AfterSequence) reads oldest first, so asking again from the last sequence seen misses nothing.
        var order = query.AfterSequence is null ? "DESC" : "ASC";
        using var connection = Open();
        using var command = connection.Command(null, $"SELECT {EventColumns} FROM events WHERE {where} ORDER BY seq {order} LIMIT $limit;", [.. parameters, ("$limit", query.Limit)]);
        using var reader = command.ExecuteReader();
        var list = new List<StoredEvent>();
        while (reader.Read())
        {
            list.Add(ReadEvent(reader));
        }

        return Task.FromResult<IReadOnlyList<StoredEvent>>(list);
    }

    /// <inheritdoc/>
    public Task<StoredEvent?> GetEventAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.Command(null, $"SELECT {EventColumns} FROM events WHERE id = $id;", ("$id", id));
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadEvent(reader) : null);
    }

    /// <inheritdoc/>
    public Task<MessageStatusHistory?> GetMessageStatusAsync(string wamid, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var read = connection.Command(null,
            """
            SELECT s.status, s.recipient_id, s.updated_at, t.event_id, t.status, t.timestamp, t.recipient_id, t.delivery_id, t.applied
            FROM message_status_timeline t LEFT JOIN message_status s ON s.wamid = t.wamid
            WHERE t.wamid = $wamid ORDER BY t.seq;
            """,
            ("$wamid", wamid));
        using var reader = read.ExecuteReader();
        string? current = null, recipient = null;
        DateTimeOffset? updatedAt = null;
        var timeline = new List<StatusTransition>();
        while (reader.Read())
        {
            current = reader.NullableString(0);
            recipient = reader.NullableString(1);
            updatedAt = reader.NullableTime(2);
            timeline.Add(new StatusTransition(reader.GetString(3), reader.GetString(4), reader.NullableTime(5), reader.NullableString(6), reader.GetInt64(7), reader.GetInt64(8) == 1));
        }

        // Only unknown statuses so far: there is a timeline but no current status yet.
        return Task.FromResult(timeline.Count == 0 ? null : new MessageStatusHistory(wamid, current ?? "unknown", recipient, updatedAt, timeline));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryOutcomesAsync(int limit, long? beforeId, CancellationToken cancellationToken) =>
        Task.FromResult(ListOutcomes("1 = 1", limit, beforeId));

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListFailedDeliveriesAsync(int limit, long? beforeId, CancellationToken cancellationToken) =>
        Task.FromResult(ListOutcomes("parse_error IS NOT NULL", limit, beforeId));

    private IReadOnlyList<DeliveryOutcome> ListOutcomes(string condition, int limit, long? beforeId)
    {
        using var connection = Open();
        using var command = connection.Command(null,
            $"SELECT delivery_id, event_count, duplicate_count, parse_error, processed_at FROM delivery_outcomes WHERE {condition} AND delivery_id < $before ORDER BY delivery_id DESC LIMIT $limit;",
            ("$before", beforeId ?? long.MaxValue), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var list = new List<DeliveryOutcome>();
        while (reader.Read())
        {
            list.Add(new DeliveryOutcome(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2), reader.NullableString(3), reader.Time(4)));
        }

        return list;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<long>> ReprocessAsync(IReadOnlyList<long>? deliveryIds, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<long>>((connection, transaction) =>
        {
            // A delivery goes back to the processor: its outcome is forgotten and it waits again.
            var ids = new List<long>();
            if (deliveryIds is null)
            {
                using var all = connection.Command(transaction, "DELETE FROM delivery_outcomes WHERE parse_error IS NOT NULL RETURNING delivery_id;");
                using var reader = all.ExecuteReader();
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                }
            }
            else
            {
                using var one = connection.Command(transaction, "DELETE FROM delivery_outcomes WHERE delivery_id = $id;");
                var id = one.Parameter("$id");
                foreach (var deliveryId in deliveryIds.Distinct())
                {
                    id.Value = deliveryId;
                    if (one.ExecuteNonQuery() == 1)
                    {
                        ids.Add(deliveryId);
                    }
                }
            }

            ids.Sort();
            using var pend = connection.Command(transaction, "INSERT OR IGNORE INTO delivery_pending (id) VALUES ($id);");
            var pendId = pend.Parameter("$id");
            foreach (var id in ids)
            {
                pendId.Value = id;
                pend.ExecuteNonQuery();
            }

            return ids;
        }, cancellationToken);

    private static StoredEvent ReadEvent(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.NullableString(5),
        reader.NullableTime(6),
        reader.GetInt64(7),
        reader.GetInt32(8),
        reader.Time(9),
        (byte[])reader.GetValue(10),
        reader.GetInt64(11) != 0);

    private static byte[] AsArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
