using System.Text;
using Npgsql;
using WabaHooks.Events;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    private const string EventColumns = "seq, id, type, field, waba_id, phone_number_id, occurred_at, delivery_id, position, stored_at, raw_json, test";

    /// <inheritdoc/>
    public Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync(async write =>
        {
            var now = Now();
            int stored = 0, duplicates = 0;
            foreach (var delivery in batch.Deliveries)
            {
                int deliveryStored = 0, deliveryDuplicates = 0;
                foreach (var e in delivery.Events)
                {
                    long? seq;
                    await using (var insert = write.Command(
                        """
                        INSERT INTO events (id, type, field, waba_id, phone_number_id, occurred_at, delivery_id, position, stored_at, raw_json, test, conversation_key, locator)
                        SELECT @id, @type, @field, @waba, @phone, @occurred, @delivery, @position, @now, @raw, @test, @conversation, @locator
                        WHERE NOT EXISTS (SELECT 1 FROM dedupe_keys WHERE id = @id) -- removed by retention, still inside the redelivery horizon
                        ON CONFLICT (id) DO NOTHING RETURNING seq;
                        """))
                    {
                        insert.Text("id", e.Id).Text("type", e.Type).Text("field", e.Field).Text("waba", e.WabaId).Text("phone", e.PhoneNumberId)
                            .Long("occurred", e.OccurredAt?.ToUnixTimeMilliseconds()).Long("delivery", delivery.DeliveryId).Int("position", e.Position)
                            .Long("now", now).Bytes("raw", e.RawJson).Bool("test", e.IsTest).Text("conversation", e.ConversationKey)
                            .NullableBytes("locator", e.Locator);
                        seq = await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
                    }

                    if (seq is null)
                    {
                        deliveryDuplicates++;
                        continue;
                    }

                    deliveryStored++;
                    foreach (var sink in e.Sinks)
                    {
                        await using var work = write.Command(
                            """
                            INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at, scheduled_at, conversation_key, order_at)
                            VALUES (@event, @sink, @seq, @delivery, 0, 0, @now, 0, NULL, @now, @now, @conversation, @order) ON CONFLICT (event_id, sink) DO NOTHING;
                            """);
                        var ordered = e.ConversationKey is not null && e.OrderedSinks.Contains(sink, StringComparer.Ordinal);
                        work.Text("event", e.Id).Text("sink", sink).Long("seq", seq).Long("delivery", delivery.DeliveryId).Long("now", now)
                            .Text("conversation", ordered ? e.ConversationKey : null).Long("order", ordered ? e.OccurredAt?.ToUnixTimeMilliseconds() ?? now : null);
                        await work.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (e.Status is { } status)
                    {
                        await ApplyStatusAsync(write, e.Id, delivery.DeliveryId, status, cancellationToken).ConfigureAwait(false);
                    }
                }

                await using (var mark = write.Command(
                    "UPDATE deliveries SET processed_at = @now, event_count = @events, duplicate_count = @duplicates, parse_error = @error WHERE id = @id;"))
                {
                    mark.Long("now", now).Int("events", deliveryStored).Int("duplicates", deliveryDuplicates).Text("error", delivery.ParseError).Long("id", delivery.DeliveryId);
                    await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                stored += deliveryStored;
                duplicates += deliveryDuplicates;
            }

            return new ProcessingResult(stored, duplicates);
        }, cancellationToken);
    }

    private static async Task ApplyStatusAsync(PostgresWrite write, string eventId, long deliveryId, StatusChange status, CancellationToken cancellationToken)
    {
        // FOR UPDATE: two instances applying statuses of one message take turns, so the view never moves backwards.
        string? current;
        await using (var read = write.Command("SELECT status FROM message_status WHERE wamid = @wamid FOR UPDATE;"))
        {
            read.Text("wamid", status.Wamid);
            current = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        var applied = MessageStatusOrder.ShouldAdvance(current, status.Status);
        var timestamp = status.Timestamp?.ToUnixTimeMilliseconds();
        if (applied)
        {
            await using var upsert = write.Command(
                """
                INSERT INTO message_status (wamid, status, recipient_id, updated_at, event_id) VALUES (@wamid, @status, @recipient, @at, @event)
                ON CONFLICT (wamid) DO UPDATE SET status = excluded.status, recipient_id = excluded.recipient_id, updated_at = excluded.updated_at, event_id = excluded.event_id;
                """);
            upsert.Text("wamid", status.Wamid).Text("status", status.Status).Text("recipient", status.RecipientId).Long("at", timestamp).Text("event", eventId);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var timeline = write.Command(
            """
            INSERT INTO message_status_timeline (event_id, wamid, status, timestamp, recipient_id, delivery_id, applied)
            VALUES (@event, @wamid, @status, @at, @recipient, @delivery, @applied) ON CONFLICT (event_id) DO NOTHING;
            """);
        timeline.Text("event", eventId).Text("wamid", status.Wamid).Text("status", status.Status).Long("at", timestamp)
            .Text("recipient", status.RecipientId).Long("delivery", deliveryId).Bool("applied", applied);
        await timeline.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
        ListOutcomesAsync("processed_at IS NOT NULL", limit, beforeId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListFailedDeliveriesAsync(int limit, long? beforeId, CancellationToken cancellationToken) =>
        ListOutcomesAsync("parse_error IS NOT NULL", limit, beforeId, cancellationToken);

    private Task<IReadOnlyList<DeliveryOutcome>> ListOutcomesAsync(string condition, int limit, long? beforeId, CancellationToken cancellationToken) =>
        ReadRowsAsync(
            $"SELECT id, event_count, duplicate_count, parse_error, processed_at FROM deliveries WHERE {condition} AND id < @before ORDER BY id DESC LIMIT @limit;",
            c => c.Long("before", beforeId ?? long.MaxValue).Int("limit", limit),
            r => new DeliveryOutcome(r.GetInt64(0), r.GetInt32(1), r.GetInt32(2), r.NullableString(3), r.Time(4)),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<long>> ReprocessAsync(IReadOnlyList<long>? deliveryIds, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<long>>(async write =>
        {
            const string Reset = "UPDATE deliveries SET processed_at = NULL, event_count = NULL, duplicate_count = NULL, parse_error = NULL";
            await using var command = deliveryIds is null
                ? write.Command(Reset + " WHERE parse_error IS NOT NULL RETURNING id;")
                : write.Command(Reset + " WHERE id = ANY(@ids) AND processed_at IS NOT NULL RETURNING id;");
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
