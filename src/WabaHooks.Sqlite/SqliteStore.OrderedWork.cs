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
    /// The first pending item of each conversation that is due, settled past the reorder window and not taken, in the
    /// order of (order_at, event_seq): Meta's timestamp, then storage. The walk follows <c>sink_work_ordered_pending</c>
    /// in that same order, so the first item it meets of each conversation is that conversation's first: it reads the
    /// heads it takes and the few items of conversations already taken, and stops at <c>$limit</c>. Walking the due
    /// order instead (next attempt, then storage) read every item stored before the last head it took: with Meta's
    /// timestamps out of storage order, a claim read a thousand items to take thirty, and ordered forwarding spent its
    /// time there. <c>INDEXED BY</c> because, without statistics, SQLite prefers the due index and a sort.
    /// An item with no key is work scheduled before the sink was ordered (its <c>order_at</c> is set to when it was
    /// scheduled, see <see cref="OrderUnkeyedSql"/>), and goes as it comes. The last column says whether a later item of
    /// its conversation was already handed over (done, dead, or attempted), which makes this one late.
    /// </summary>
    internal const string OrderedClaimSql =
        $"""
        SELECT {ClaimedWorkColumns}, w.conversation_key,
            EXISTS (SELECT 1 FROM sink_work l
                WHERE l.sink = w.sink AND l.conversation_key = w.conversation_key AND (l.state <> 0 OR l.attempts > 0)
                AND (l.order_at > w.order_at OR (l.order_at = w.order_at AND l.event_seq > w.event_seq))),
            {ClaimedEventColumns}
        FROM sink_work w INDEXED BY sink_work_ordered_pending {ClaimedEventJoin}
        WHERE w.sink = $sink AND w.state = 0 AND w.order_at IS NOT NULL
        AND w.next_attempt_at <= $now AND w.lease_until <= $now AND w.scheduled_at <= $settled
        AND (w.conversation_key IS NULL OR (
            NOT EXISTS (SELECT 1 FROM sink_work o
                WHERE o.sink = w.sink AND o.conversation_key = w.conversation_key AND o.state = 0
                AND (o.order_at < w.order_at OR (o.order_at = w.order_at AND o.event_seq < w.event_seq)))
            AND NOT EXISTS (SELECT 1 FROM sink_conversations c
                WHERE c.sink = w.sink AND c.conversation_key = w.conversation_key AND c.lease_until > $now)))
        ORDER BY w.order_at, w.event_seq LIMIT $limit;
        """;

    /// <summary>
    /// Gives an ordering time to the sink's open work that has none: work scheduled while the sink was not ordered (in
    /// an earlier run, or before ordering existed). Only items with a time are in <c>sink_work_ordered_pending</c>; run
    /// once per sink and process, at its first ordered claim, since everything scheduled for an ordered sink afterwards
    /// has one (the processor and a replay give it). Dead items too, so a dead letter sent again is found.
    /// </summary>
    internal const string OrderUnkeyedSql =
        "UPDATE sink_work SET order_at = scheduled_at WHERE sink = $sink AND state <> 1 AND order_at IS NULL;";

    /// <summary>The ordered sinks whose unkeyed work has been given an ordering time by this process.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _orderedSinks = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueInOrderAsync(
        string sink, int limit, DateTimeOffset now, TimeSpan lease, TimeSpan reorderWindow, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThan(reorderWindow, TimeSpan.Zero);
        return ClaimInOrderAsync(sink, limit, now, lease, reorderWindow, cancellationToken);
    }

    private async Task<IReadOnlyList<SinkWorkItem>> ClaimInOrderAsync(
        string sink, int limit, DateTimeOffset now, TimeSpan lease, TimeSpan reorderWindow, CancellationToken cancellationToken)
    {
        var first = !_orderedSinks.ContainsKey(sink);
        var claimed = await WriteAsync<IReadOnlyList<SinkWorkItem>>((connection, transaction) =>
        {
            if (first)
            {
                using var order = connection.Command(transaction, OrderUnkeyedSql, ("$sink", sink));
                order.ExecuteNonQuery();
            }

            var at = now.ToUnixTimeMilliseconds();
            var until = (now + lease).ToUnixTimeMilliseconds();
            var items = new List<SinkWorkItem>();
            var commands = SinkCommands(connection);
            if (commands.IsPaused(transaction, sink))
            {
                // Paused by an operator: like an unordered sink, nothing is claimed until it is resumed.
                return items;
            }

            var select = SinkWorkCommands.In(commands.OrderedClaim, transaction);
            select[0].Value = sink;
            select[1].Value = at;
            select[2].Value = (now - reorderWindow).ToUnixTimeMilliseconds();
            select[3].Value = limit;
            using (var reader = commands.OrderedClaim.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(ReadWork(reader) with { ConversationKey = reader.NullableString(9), IsLate = reader.GetInt64(10) == 1, Event = ReadClaimedEvent(reader, 11) });
                }
            }

            // One writer at a time holds a SQLite file, so the select above already saw every lease: taking them cannot fail.
            var leaseItem = SinkWorkCommands.In(commands.Lease, transaction);
            leaseItem[0].Value = until;
            leaseItem[2].Value = sink;
            var leaseConversation = SinkWorkCommands.In(commands.LeaseConversation, transaction);
            leaseConversation[0].Value = sink;
            leaseConversation[3].Value = until;
            foreach (var item in items)
            {
                leaseItem[1].Value = item.EventSequence;
                commands.Lease.ExecuteNonQuery();
                if (item.ConversationKey is not null)
                {
                    leaseConversation[1].Value = item.ConversationKey;
                    leaseConversation[2].Value = item.EventId;
                    commands.LeaseConversation.ExecuteNonQuery();
                }
            }

            return items;
        }, cancellationToken, durable: false).ConfigureAwait(false);

        // Only once committed: a claim rolled back leaves the unkeyed work as it was, and the next claim orders it.
        _orderedSinks.TryAdd(sink, 0);
        return claimed;
    }

    /// <summary>
    /// Frees the conversations of ordered items whose outcome is being recorded, so their next item can go. Only the
    /// holder's own lease: one that ran out and was taken by another claim stays with it.
    /// </summary>
    private static void ReleaseConversations(SinkWorkCommands commands, SqliteTransaction transaction, IReadOnlyList<SinkOutcome> outcomes)
    {
        var release = SinkWorkCommands.In(commands.ReleaseConversation, transaction);
        foreach (var (item, _, _) in outcomes)
        {
            if (item.ConversationKey is null)
            {
                continue;
            }

            release[0].Value = item.Sink;
            release[1].Value = item.ConversationKey;
            release[2].Value = item.EventId;
            commands.ReleaseConversation.ExecuteNonQuery();
        }
    }
}
