using System.Text;
using Npgsql;
using WabaHooks.Events;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    private const string EventColumns = "seq, id, type, field, waba_id, phone_number_id, occurred_at, delivery_id, position, stored_at, raw_json, test";

    /// <inheritdoc/>
    /// <remarks>
    /// Three round trips whatever the batch's size, each statement multi-row over arrays: the events (with the current
    /// status of the messages they move, locked), then the sink work, the status view and the processed marks together,
    /// then the commit, which does not wait for the WAL flush (see below). Row by row, a batch of 256 deliveries took over a thousand round trips, and each one woke a
    /// thread to read its answer.
    /// </remarks>
    public Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync(async write =>
        {
            var now = Now();
            var rows = new PostgresProcessedRows(batch);

            // 1. The events, first occurrence of each key kept (in batch order, as row by row); which were stored, and
            //    the current status of every message a status event in the batch is about.
            var stored = new Dictionary<string, long>(rows.EventCount, StringComparer.Ordinal);
            var current = new Dictionary<string, string?>(StringComparer.Ordinal);
            await using (var first = write.Batch())
            {
                // Derived data commits without waiting for its own WAL flush, as the SQLite store commits it without
                // its own fsync: it can always be rebuilt from the inbox, which is flushed before every 200. A crash can
                // lose the latest processing commits, never an acknowledged delivery: those deliveries are processed
                // again and deduplicated on their keys. Anything that acted on this commit — a claim of its sink work,
                // the next append — commits synchronously after it, and flushing the log that far makes this commit
                // durable too.
                first.Add("SET LOCAL synchronous_commit = off;");
                first.Add(
                    """
                    INSERT INTO events (id, type, field, waba_id, phone_number_id, occurred_at, delivery_id, position, stored_at, raw_json, test, conversation_key, locator)
                    SELECT u.id, u.type, u.field, u.waba_id, u.phone_number_id, u.occurred_at, u.delivery_id, u.position, $13, u.raw_json, u.test, u.conversation_key, u.locator
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::integer[], $9::bytea[], $10::boolean[], $11::text[], $12::bytea[])
                        WITH ORDINALITY AS u(id, type, field, waba_id, phone_number_id, occurred_at, delivery_id, position, raw_json, test, conversation_key, locator, ord)
                    WHERE NOT EXISTS (SELECT 1 FROM dedupe_keys d WHERE d.id = u.id) -- removed by retention, still inside the redelivery horizon
                    ORDER BY u.ord
                    ON CONFLICT (id) DO NOTHING RETURNING id, seq;
                    """,
                    rows.EventParameters(now));
                if (rows.Wamids.Length > 0)
                {
                    // FOR UPDATE, in one order: two instances applying statuses of one message take turns, so the view
                    // never moves backwards, and never deadlock on each other.
                    first.Add(
                        "SELECT wamid, status FROM message_status WHERE wamid = ANY($1) ORDER BY wamid FOR UPDATE;",
                        PostgresArrays.Of(rows.Wamids, NpgsqlTypes.NpgsqlDbType.Text));
                }

                await using var reader = await first.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    stored.Add(reader.GetString(0), reader.GetInt64(1));
                }

                if (rows.Wamids.Length > 0)
                {
                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        current[reader.GetString(0)] = reader.GetString(1);
                    }
                }
            }

            // 2. What follows from them, in one round trip.
            var result = rows.Resolve(stored, current, now);
            await using (var second = write.Batch())
            {
                rows.AddWrites(second, now);
                await second.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return result;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var (where, parameters) = PostgresStore.EventFilter(query);
        // Following (AfterSequence) reads oldest first, so asking again from the last sequence seen misses nothing.
        var order = query.AfterSequence is null ? "DESC" : "ASC";
        return ReadRowsAsync(
            $"SELECT {EventColumns} FROM events WHERE {where} ORDER BY seq {order} LIMIT @limit;",
            c =>
            {
                c.Int("limit", query.Limit);
                parameters(c);
            },
            r => ReadEvent(r),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredEvent?> GetEventAsync(string id, CancellationToken cancellationToken) =>
        ReadFirstAsync($"SELECT {EventColumns} FROM events WHERE id = @id;", c => c.Text("id", id), r => ReadEvent(r), cancellationToken);

    /// <inheritdoc/>
    public async Task<MessageStatusHistory?> GetMessageStatusAsync(string wamid, CancellationToken cancellationToken)
    {
        var rows = await ReadRowsAsync(
            """
            SELECT s.status, s.recipient_id, s.updated_at, t.event_id, t.status, t.timestamp, t.recipient_id, t.delivery_id, t.applied
            FROM message_status_timeline t LEFT JOIN message_status s ON s.wamid = t.wamid
            WHERE t.wamid = @wamid ORDER BY t.seq;
            """,
            c => c.Text("wamid", wamid),
            r => (Current: r.NullableString(0), Recipient: r.NullableString(1), UpdatedAt: r.NullableTime(2),
                Transition: new StatusTransition(r.GetString(3), r.GetString(4), r.NullableTime(5), r.NullableString(6), r.GetInt64(7), r.GetBoolean(8))),
            cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        // The current status is joined onto every row of the timeline; any row carries it.
        var last = rows[^1];
        return new MessageStatusHistory(wamid, last.Current ?? "unknown", last.Recipient, last.UpdatedAt, [.. rows.Select(row => row.Transition)]);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryOutcomesAsync(int limit, long? beforeId, CancellationToken cancellationToken) =>
        ListOutcomesAsync("TRUE", limit, beforeId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListFailedDeliveriesAsync(int limit, long? beforeId, CancellationToken cancellationToken) =>
        ListOutcomesAsync("parse_error IS NOT NULL", limit, beforeId, cancellationToken);

    private Task<IReadOnlyList<DeliveryOutcome>> ListOutcomesAsync(string condition, int limit, long? beforeId, CancellationToken cancellationToken) =>
        ReadRowsAsync(
            $"SELECT delivery_id, event_count, duplicate_count, parse_error, processed_at FROM delivery_outcomes WHERE {condition} AND delivery_id < @before ORDER BY delivery_id DESC LIMIT @limit;",
            c => c.Long("before", beforeId ?? long.MaxValue).Int("limit", limit),
            r => new DeliveryOutcome(r.GetInt64(0), r.GetInt32(1), r.GetInt32(2), r.NullableString(3), r.Time(4)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<long>> ReprocessAsync(IReadOnlyList<long>? deliveryIds, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<long>>(async write =>
        {
            // A delivery goes back to the processor: its outcome is forgotten and it waits again.
            static string Reset(string condition) =>
                $"""
                WITH gone AS (DELETE FROM delivery_outcomes WHERE {condition} RETURNING delivery_id),
                queued AS (INSERT INTO delivery_pending (id) SELECT delivery_id FROM gone ON CONFLICT DO NOTHING)
                SELECT delivery_id FROM gone;
                """;
            await using var command = deliveryIds is null
                ? write.Command(Reset("parse_error IS NOT NULL"))
                : write.Command(Reset("delivery_id = ANY(@ids)"));
            if (deliveryIds is not null)
            {
                command.Parameters.AddWithValue("ids", deliveryIds.ToArray());
            }

            var ids = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetInt64(0));
            }

            ids.Sort();
            return (IReadOnlyList<long>)ids;
        }, cancellationToken);

    private static StoredEvent ReadEvent(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.NullableString(5),
        reader.NullableTime(6), reader.GetInt64(7), reader.GetInt32(8), reader.Time(9), (byte[])reader.GetValue(10),
        reader.GetBoolean(11));
}
