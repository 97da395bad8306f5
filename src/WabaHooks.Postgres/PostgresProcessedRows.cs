using Npgsql;
using NpgsqlTypes;
using WabaHooks.Events;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

/// <summary>
/// A processed batch as columns, for <see cref="PostgresStore.CommitProcessedAsync"/>'s multi-row statements. The
/// events go in first; once the database has said which of them it stored (the others are duplicates) and where the
/// messages' statuses stand, <see cref="Resolve"/> decides the rest exactly as a row-by-row pass in batch order would:
/// each delivery's counts, the work for every sink of each stored event, and each status applied in turn.
/// </summary>
internal sealed class PostgresProcessedRows
{
    private readonly ProcessedBatch _batch;
    private readonly string[] _ids;
    private readonly string[] _types;
    private readonly string[] _fields;
    private readonly string[] _wabaIds;
    private readonly string?[] _phoneNumberIds;
    private readonly long?[] _occurredAt;
    private readonly long[] _deliveryIds;
    private readonly int[] _positions;
    private readonly byte[][] _rawJson;
    private readonly bool[] _test;
    private readonly string?[] _conversationKeys;
    private readonly byte[]?[] _locators;

    private readonly List<(string EventId, string Sink, long Seq, long DeliveryId, string? ConversationKey, long? OrderAt)> _work = [];
    private readonly Dictionary<string, (string Status, string? RecipientId, long? At, string EventId)> _statusViews = new(StringComparer.Ordinal);
    private readonly List<(string EventId, StatusChange Status, long DeliveryId, bool Applied)> _timeline = [];
    private readonly long[] _marked;
    private readonly int[] _eventCounts;
    private readonly int[] _duplicateCounts;
    private readonly string?[] _parseErrors;

    public PostgresProcessedRows(ProcessedBatch batch)
    {
        _batch = batch;
        var count = batch.Deliveries.Sum(d => d.Events.Count);
        EventCount = count;
        _ids = new string[count];
        _types = new string[count];
        _fields = new string[count];
        _wabaIds = new string[count];
        _phoneNumberIds = new string?[count];
        _occurredAt = new long?[count];
        _deliveryIds = new long[count];
        _positions = new int[count];
        _rawJson = new byte[count][];
        _test = new bool[count];
        _conversationKeys = new string?[count];
        _locators = new byte[]?[count];
        var wamids = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var delivery in batch.Deliveries)
        {
            foreach (var e in delivery.Events)
            {
                _ids[i] = e.Id;
                _types[i] = e.Type;
                _fields[i] = e.Field;
                _wabaIds[i] = e.WabaId;
                _phoneNumberIds[i] = e.PhoneNumberId;
                _occurredAt[i] = e.OccurredAt?.ToUnixTimeMilliseconds();
                _deliveryIds[i] = delivery.DeliveryId;
                _positions[i] = e.Position;
                _rawJson[i] = PostgresArrays.Exact(e.RawJson);
                _test[i] = e.IsTest;
                _conversationKeys[i] = e.ConversationKey;
                _locators[i] = e.Locator.IsEmpty ? null : PostgresArrays.Exact(e.Locator); // Null when not recorded.
                if (e.Status is { } status)
                {
                    wamids.Add(status.Wamid);
                }

                i++;
            }
        }

        Wamids = [.. wamids];
        var deliveries = batch.Deliveries.Count;
        _marked = new long[deliveries];
        _eventCounts = new int[deliveries];
        _duplicateCounts = new int[deliveries];
        _parseErrors = new string?[deliveries];
    }

    /// <summary>How many events the batch carries, duplicates included.</summary>
    public int EventCount { get; }

    /// <summary>The messages whose status a status event of the batch is about, each once.</summary>
    public string[] Wamids { get; }

    /// <summary>The events' columns, in the order of the events insert; <c>$13</c> is when they are stored.</summary>
    public NpgsqlParameter[] EventParameters(long now) =>
    [
        PostgresArrays.Of(_ids, NpgsqlDbType.Text),
        PostgresArrays.Of(_types, NpgsqlDbType.Text),
        PostgresArrays.Of(_fields, NpgsqlDbType.Text),
        PostgresArrays.Of(_wabaIds, NpgsqlDbType.Text),
        PostgresArrays.Of(_phoneNumberIds, NpgsqlDbType.Text),
        PostgresArrays.Of(_occurredAt, NpgsqlDbType.Bigint),
        PostgresArrays.Of(_deliveryIds, NpgsqlDbType.Bigint),
        PostgresArrays.Of(_positions, NpgsqlDbType.Integer),
        PostgresArrays.Of(_rawJson, NpgsqlDbType.Bytea),
        PostgresArrays.Of(_test, NpgsqlDbType.Boolean),
        PostgresArrays.Of(_conversationKeys, NpgsqlDbType.Text),
        PostgresArrays.Of(_locators, NpgsqlDbType.Bytea),
        PostgresArrays.Scalar(now, NpgsqlDbType.Bigint),
    ];

    /// <summary>
    /// Walks the batch in order with what the events insert returned (<paramref name="stored"/>: key → sequence) and
    /// the messages' current statuses (<paramref name="current"/>), deciding what the second round trip writes.
    /// </summary>
    public ProcessingResult Resolve(Dictionary<string, long> stored, Dictionary<string, string?> current, long now)
    {
        int storedTotal = 0, duplicatesTotal = 0;
        for (var d = 0; d < _batch.Deliveries.Count; d++)
        {
            var delivery = _batch.Deliveries[d];
            int deliveryStored = 0, deliveryDuplicates = 0;
            foreach (var e in delivery.Events)
            {
                // Each key is stored once: its first occurrence takes the sequence, any later one in the batch is a
                // duplicate like one already in the table.
                if (!stored.Remove(e.Id, out var seq))
                {
                    deliveryDuplicates++;
                    continue;
                }

                deliveryStored++;
                foreach (var sink in e.Sinks)
                {
                    var ordered = e.ConversationKey is not null && e.OrderedSinks.Contains(sink, StringComparer.Ordinal);
                    _work.Add((e.Id, sink, seq, delivery.DeliveryId, ordered ? e.ConversationKey : null, ordered ? e.OccurredAt?.ToUnixTimeMilliseconds() ?? now : null));
                }

                if (e.Status is { } status)
                {
                    current.TryGetValue(status.Wamid, out var held);
                    var applied = MessageStatusOrder.ShouldAdvance(held, status.Status);
                    if (applied)
                    {
                        current[status.Wamid] = status.Status;
                        _statusViews[status.Wamid] = (status.Status, status.RecipientId, status.Timestamp?.ToUnixTimeMilliseconds(), e.Id);
                    }

                    _timeline.Add((e.Id, status, delivery.DeliveryId, applied));
                }
            }

            _marked[d] = delivery.DeliveryId;
            _eventCounts[d] = deliveryStored;
            _duplicateCounts[d] = deliveryDuplicates;
            _parseErrors[d] = delivery.ParseError;
            storedTotal += deliveryStored;
            duplicatesTotal += deliveryDuplicates;
        }

        return new ProcessingResult(storedTotal, duplicatesTotal);
    }

    /// <summary>The sink work, the status view and its timeline, and the processed marks, as <see cref="Resolve"/> decided.</summary>
    public void AddWrites(NpgsqlBatch batch, long now)
    {
        if (_work.Count > 0)
        {
            batch.Add(
                """
                INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at, scheduled_at, conversation_key, order_at)
                SELECT u.event_id, u.sink, u.event_seq, u.delivery_id, 0, 0, $7, 0, NULL, $7, $7, u.conversation_key, u.order_at
                FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[]) AS u(event_id, sink, event_seq, delivery_id, conversation_key, order_at)
                ON CONFLICT (event_id, sink) DO NOTHING;
                """,
                PostgresArrays.Of(_work.Select(w => w.EventId).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(_work.Select(w => w.Sink).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(_work.Select(w => w.Seq).ToArray(), NpgsqlDbType.Bigint),
                PostgresArrays.Of(_work.Select(w => w.DeliveryId).ToArray(), NpgsqlDbType.Bigint),
                PostgresArrays.Of(_work.Select(w => w.ConversationKey).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(_work.Select(w => w.OrderAt).ToArray(), NpgsqlDbType.Bigint),
                PostgresArrays.Scalar(now, NpgsqlDbType.Bigint));
        }

        if (_statusViews.Count > 0)
        {
            // One row per message, its last applied status: an upsert may not touch a row twice.
            var views = _statusViews.ToArray();
            batch.Add(
                """
                INSERT INTO message_status (wamid, status, recipient_id, updated_at, event_id)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])
                ON CONFLICT (wamid) DO UPDATE SET status = excluded.status, recipient_id = excluded.recipient_id, updated_at = excluded.updated_at, event_id = excluded.event_id;
                """,
                PostgresArrays.Of(views.Select(v => v.Key).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(views.Select(v => v.Value.Status).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(views.Select(v => v.Value.RecipientId).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(views.Select(v => v.Value.At).ToArray(), NpgsqlDbType.Bigint),
                PostgresArrays.Of(views.Select(v => v.Value.EventId).ToArray(), NpgsqlDbType.Text));
        }

        if (_timeline.Count > 0)
        {
            batch.Add(
                """
                INSERT INTO message_status_timeline (event_id, wamid, status, timestamp, recipient_id, delivery_id, applied)
                SELECT u.event_id, u.wamid, u.status, u.timestamp, u.recipient_id, u.delivery_id, u.applied
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::boolean[])
                    WITH ORDINALITY AS u(event_id, wamid, status, timestamp, recipient_id, delivery_id, applied, ord)
                ORDER BY u.ord
                ON CONFLICT (event_id) DO NOTHING;
                """,
                PostgresArrays.Of(_timeline.Select(t => t.EventId).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(_timeline.Select(t => t.Status.Wamid).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(_timeline.Select(t => t.Status.Status).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(_timeline.Select(t => t.Status.Timestamp?.ToUnixTimeMilliseconds()).ToArray(), NpgsqlDbType.Bigint),
                PostgresArrays.Of(_timeline.Select(t => t.Status.RecipientId).ToArray(), NpgsqlDbType.Text),
                PostgresArrays.Of(_timeline.Select(t => t.DeliveryId).ToArray(), NpgsqlDbType.Bigint),
                PostgresArrays.Of(_timeline.Select(t => t.Applied).ToArray(), NpgsqlDbType.Boolean));
        }

        batch.Add(
            """
            WITH marked AS (SELECT * FROM unnest($2::bigint[], $3::integer[], $4::integer[], $5::text[]) AS u(id, events, duplicates, error)),
            done AS (DELETE FROM delivery_pending p USING marked WHERE p.id = marked.id)
            INSERT INTO delivery_outcomes (delivery_id, processed_at, event_count, duplicate_count, parse_error)
            SELECT id, $1, events, duplicates, error FROM marked
            ON CONFLICT (delivery_id) DO UPDATE SET processed_at = excluded.processed_at, event_count = excluded.event_count,
                duplicate_count = excluded.duplicate_count, parse_error = excluded.parse_error;
            """,
            PostgresArrays.Scalar(now, NpgsqlDbType.Bigint),
            PostgresArrays.Of(_marked, NpgsqlDbType.Bigint),
            PostgresArrays.Of(_eventCounts, NpgsqlDbType.Integer),
            PostgresArrays.Of(_duplicateCounts, NpgsqlDbType.Integer),
            PostgresArrays.Of(_parseErrors, NpgsqlDbType.Text));
    }
}
