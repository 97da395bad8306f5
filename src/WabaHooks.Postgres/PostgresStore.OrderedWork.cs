using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    /// <summary>
    /// A replayed event's conversation and ordering time: the key stored with the event (the WABA for events stored
    /// before keys were), and Meta's timestamp or, when unknown, when it was stored.
    /// </summary>
    private const string ReplayConversation = "COALESCE(conversation_key, 'waba:' || waba_id), COALESCE(occurred_at, stored_at)";

    /// <summary>
    /// Candidates: the first pending item of each conversation that is due, settled past the reorder window and not
    /// taken, oldest due first. "First" is the order of (order_at, event_seq): Meta's timestamp, then storage. An item
    /// with no key is work scheduled before the sink was ordered, and goes as it comes. The last column says whether a
    /// later item of its conversation was already handed over (done, dead, or attempted), which makes this one late.
    /// What another instance takes meanwhile is settled by <see cref="TakeConversationSql"/> and <see cref="TakeItemSql"/>.
    /// </summary>
    private const string OrderedCandidatesSql =
        $"""
        SELECT {ClaimedWorkColumns}, w.conversation_key,
            EXISTS (SELECT 1 FROM sink_work l
                WHERE l.sink = w.sink AND l.conversation_key = w.conversation_key AND (l.state <> 0 OR l.attempts > 0)
                AND (l.order_at, l.event_seq) > (w.order_at, w.event_seq)),
            {ClaimedEventColumns}
        FROM sink_work w {ClaimedEventJoin}
        WHERE w.sink = @sink AND w.state = 0 AND w.next_attempt_at <= @now AND w.lease_until <= @now AND w.scheduled_at <= @settled
        AND NOT EXISTS (SELECT 1 FROM sink_pauses p WHERE p.sink = @sink) -- paused by an operator
        AND (w.conversation_key IS NULL OR (
            NOT EXISTS (SELECT 1 FROM sink_work o
                WHERE o.sink = w.sink AND o.conversation_key = w.conversation_key AND o.state = 0
                AND (o.order_at, o.event_seq) < (w.order_at, w.event_seq))
            AND NOT EXISTS (SELECT 1 FROM sink_conversations c
                WHERE c.sink = w.sink AND c.conversation_key = w.conversation_key AND c.lease_until > @now)))
        ORDER BY w.next_attempt_at, w.event_seq LIMIT @limit;
        """;

    /// <summary>
    /// Takes a conversation unless another claim holds it. An upsert on one row: PostgreSQL makes a second claimer wait
    /// for the first to commit and then re-checks the lease on the row as committed, so exactly one wins.
    /// </summary>
    private const string TakeConversationSql =
        """
        INSERT INTO sink_conversations (sink, conversation_key, event_id, lease_until) VALUES (@sink, @key, @event, @until)
        ON CONFLICT (sink, conversation_key) DO UPDATE SET event_id = excluded.event_id, lease_until = excluded.lease_until
        WHERE sink_conversations.lease_until <= @now
        RETURNING 1;
        """;

    /// <summary>
    /// Leases the item, checking again, in a statement that starts after the conversation was taken and so sees every
    /// commit before it, that it is still pending, due, free, and the first of its conversation.
    /// </summary>
    private const string TakeItemSql =
        """
        UPDATE sink_work w SET lease_until = @until
        WHERE w.event_id = @event AND w.sink = @sink AND w.state = 0 AND w.next_attempt_at <= @now AND w.lease_until <= @now
        AND (w.conversation_key IS NULL OR NOT EXISTS (SELECT 1 FROM sink_work o
            WHERE o.sink = w.sink AND o.conversation_key = w.conversation_key AND o.state = 0
            AND (o.order_at, o.event_seq) < (w.order_at, w.event_seq)))
        RETURNING 1;
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueInOrderAsync(
        string sink, int limit, DateTimeOffset now, TimeSpan lease, TimeSpan reorderWindow, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThan(reorderWindow, TimeSpan.Zero);
        return WriteAsync<IReadOnlyList<SinkWorkItem>>(async write =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var until = (now + lease).ToUnixTimeMilliseconds();
            var candidates = new List<SinkWorkItem>();
            await using (var select = write.Command(OrderedCandidatesSql))
            {
                select.Text("sink", sink).Long("now", at).Long("settled", (now - reorderWindow).ToUnixTimeMilliseconds()).Int("limit", limit);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    candidates.Add(ReadWork(reader) with { ConversationKey = reader.NullableString(9), IsLate = reader.GetBoolean(10), Event = ReadClaimedEvent(reader, 11) });
                }
            }

            // Conversations are taken in one order by every instance, so two claims waiting on each other's rows cannot
            // deadlock.
            candidates.Sort((a, b) => string.CompareOrdinal(a.ConversationKey, b.ConversationKey));
            var items = new List<SinkWorkItem>(candidates.Count);
            foreach (var candidate in candidates)
            {
                if (candidate.ConversationKey is { } key)
                {
                    await using var take = write.Command(TakeConversationSql);
                    take.Text("sink", sink).Text("key", key).Text("event", candidate.EventId).Long("until", until).Long("now", at);
                    if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                    {
                        continue;
                    }
                }

                await using var item = write.Command(TakeItemSql);
                item.Text("sink", sink).Text("event", candidate.EventId).Long("until", until).Long("now", at);
                if (await item.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                {
                    items.Add(candidate);
                }
                else if (candidate.ConversationKey is { } taken)
                {
                    // Another instance finished it, or an earlier event of the conversation came in: the next claim sees which.
                    await using var release = write.Command("DELETE FROM sink_conversations WHERE sink = @sink AND conversation_key = @key AND event_id = @event;");
                    release.Text("sink", sink).Text("key", taken).Text("event", candidate.EventId);
                    await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            items.Sort((a, b) => a.NextAttemptAt != b.NextAttemptAt ? a.NextAttemptAt.CompareTo(b.NextAttemptAt) : a.EventSequence.CompareTo(b.EventSequence));
            return items;
        }, cancellationToken);
    }

    /// <summary>
    /// Frees the conversations of ordered items whose outcome is being recorded, so their next item can go. Only the
    /// holder's own lease: one that ran out and was taken by another claim stays with it.
    /// </summary>
    private static async Task ReleaseConversationsAsync(PostgresWrite write, IReadOnlyList<SinkOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var (item, _, _) in outcomes)
        {
            if (item.ConversationKey is { } key)
            {
                await using var release = write.Command("DELETE FROM sink_conversations WHERE sink = @sink AND conversation_key = @key AND event_id = @event;");
                release.Text("sink", item.Sink).Text("key", key).Text("event", item.EventId);
                await release.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
