using Microsoft.Data.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>
    /// A replayed event's conversation and ordering time: the key stored with the event (the WABA for events stored
    /// before keys were), and Meta's timestamp or, when unknown, when it was stored.
    /// </summary>
    private const string ReplayConversation = "COALESCE(conversation_key, 'waba:' || waba_id), COALESCE(occurred_at, stored_at)";

    /// <summary>
    /// The first pending item of each conversation that is due, settled past the reorder window and not taken, oldest
    /// due first. "First" is the order of (order_at, event_seq): Meta's timestamp, then storage. An item with no key is
    /// work scheduled before the sink was ordered, and goes as it comes. The last column says whether a later item of
    /// its conversation was already handed over (done, dead, or attempted), which makes this one late.
    /// </summary>
    internal const string OrderedClaimSql =
        $"""
        SELECT {ClaimedWorkColumns}, w.conversation_key,
            EXISTS (SELECT 1 FROM sink_work l
                WHERE l.sink = w.sink AND l.conversation_key = w.conversation_key AND (l.state <> 0 OR l.attempts > 0)
                AND (l.order_at > w.order_at OR (l.order_at = w.order_at AND l.event_seq > w.event_seq))),
            {ClaimedEventColumns}
        FROM sink_work w {ClaimedEventJoin}
        WHERE w.sink = $sink AND w.state = 0 AND w.next_attempt_at <= $now AND w.lease_until <= $now AND w.scheduled_at <= $settled
        AND (w.conversation_key IS NULL OR (
            NOT EXISTS (SELECT 1 FROM sink_work o
                WHERE o.sink = w.sink AND o.conversation_key = w.conversation_key AND o.state = 0
                AND (o.order_at < w.order_at OR (o.order_at = w.order_at AND o.event_seq < w.event_seq)))
            AND NOT EXISTS (SELECT 1 FROM sink_conversations c
                WHERE c.sink = w.sink AND c.conversation_key = w.conversation_key AND c.lease_until > $now)))
        ORDER BY w.next_attempt_at, w.event_seq LIMIT $limit;
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueInOrderAsync(
        string sink, int limit, DateTimeOffset now, TimeSpan lease, TimeSpan reorderWindow, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThan(reorderWindow, TimeSpan.Zero);
        return WriteAsync<IReadOnlyList<SinkWorkItem>>((connection, transaction) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var until = (now + lease).ToUnixTimeMilliseconds();
            var items = new List<SinkWorkItem>();
            using (var select = connection.Command(
                transaction, OrderedClaimSql, ("$sink", sink), ("$now", at), ("$settled", (now - reorderWindow).ToUnixTimeMilliseconds()), ("$limit", limit)))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(ReadWork(reader) with { ConversationKey = reader.NullableString(9), IsLate = reader.GetInt64(10) == 1, Event = ReadClaimedEvent(reader, 11) });
                }
            }

            // One writer at a time holds a SQLite file, so the select above already saw every lease: taking them cannot fail.
            using var leaseWork = connection.Command(transaction, "UPDATE sink_work SET lease_until = $until WHERE event_id = $event AND sink = $sink;");
            var eventId = leaseWork.Parameter("$event");
            leaseWork.Parameter("$sink").Value = sink;
            leaseWork.Parameter("$until").Value = until;
            using var leaseConversation = connection.Command(transaction,
                """
                INSERT INTO sink_conversations (sink, conversation_key, event_id, lease_until) VALUES ($sink, $key, $event, $until)
                ON CONFLICT (sink, conversation_key) DO UPDATE SET event_id = excluded.event_id, lease_until = excluded.lease_until;
                """);
            var key = leaseConversation.Parameter("$key");
            var conversationEvent = leaseConversation.Parameter("$event");
            leaseConversation.Parameter("$sink").Value = sink;
            leaseConversation.Parameter("$until").Value = until;
            foreach (var item in items)
            {
                eventId.Value = item.EventId;
                leaseWork.ExecuteNonQuery();
                if (item.ConversationKey is not null)
                {
                    key.Value = item.ConversationKey;
                    conversationEvent.Value = item.EventId;
                    leaseConversation.ExecuteNonQuery();
                }
            }

            return items;
        }, cancellationToken, durable: false);
    }

    /// <summary>
    /// Frees the conversations of ordered items whose outcome is being recorded, so their next item can go. Only the
    /// holder's own lease: one that ran out and was taken by another claim stays with it.
    /// </summary>
    private static void ReleaseConversations(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<SinkOutcome> outcomes)
    {
        SqliteCommand? release = null;
        try
        {
            foreach (var (item, _, _) in outcomes)
            {
                if (item.ConversationKey is null)
                {
                    continue;
                }

                release ??= connection.Command(transaction, "DELETE FROM sink_conversations WHERE sink = $sink AND conversation_key = $key AND event_id = $event;");
                release.Parameters.Clear();
                release.Parameters.AddWithValue("$sink", item.Sink);
                release.Parameters.AddWithValue("$key", item.ConversationKey);
                release.Parameters.AddWithValue("$event", item.EventId);
                release.ExecuteNonQuery();
            }
        }
        finally
        {
            release?.Dispose();
        }
    }
}
