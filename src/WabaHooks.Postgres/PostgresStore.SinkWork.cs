using Npgsql;
using NpgsqlTypes;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    private const string WorkColumns = "event_id, event_seq, delivery_id, sink, state, attempts, next_attempt_at, last_error, scheduled_at";
    private const string AttemptColumns = "event_id, sink, number, started_at, duration_ms, succeeded, status_code, error, response_head";

    /// <summary><see cref="WorkColumns"/> of claimed work <c>w</c>, beside the columns of its event.</summary>
    private const string ClaimedWorkColumns = "w.event_id, w.event_seq, w.delivery_id, w.sink, w.state, w.attempts, w.next_attempt_at, w.last_error, w.scheduled_at";

    /// <summary>
    /// What dispatch needs of a claimed item's event to rebuild it from its delivery without a split
    /// (<see cref="SinkWorkItem.Event"/>): one lookup by its key, in the claim's own statement.
    /// </summary>
    private const string ClaimedEventColumns = "e.type, e.field, e.waba_id, e.phone_number_id, e.occurred_at, e.position, e.test, e.locator";

    private const string ClaimedEventJoin = "LEFT JOIN events e ON e.id = w.event_id";

    // Per sink: the counts and the oldest pending item in one pass over sink_work, then the latest success and the
    // latest failure, each one backward seek into its (sink, succeeded) range of sink_attempts_by_outcome. The latest
    // attempt is the later of those two, so it needs no lookup of its own: max over the whole sink would read every
    // index entry of it.
    internal const string BacklogSql =
        $"""
        SELECT w.sink, w.pending, w.dead, w.done, w.oldest_pending, s.started_at,
            f.event_id, f.sink, f.number, f.started_at, f.duration_ms, f.succeeded, f.status_code, f.error, f.response_head
        FROM (
            SELECT sink, count(*) FILTER (WHERE state = 0) AS pending, count(*) FILTER (WHERE state = 2) AS dead,
                count(*) FILTER (WHERE state = 1) AS done, min(scheduled_at) FILTER (WHERE state = 0) AS oldest_pending
            FROM sink_work GROUP BY sink) w
        LEFT JOIN LATERAL (
            SELECT a.started_at FROM sink_attempts a WHERE a.sink = w.sink AND a.succeeded ORDER BY a.started_at DESC LIMIT 1) s ON true
        LEFT JOIN LATERAL (
            SELECT {AttemptColumns} FROM sink_attempts a WHERE a.sink = w.sink AND NOT a.succeeded ORDER BY a.started_at DESC, a.seq DESC LIMIT 1) f ON true
        ORDER BY w.sink;
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueAsync(string sink, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return WriteAsync<IReadOnlyList<SinkWorkItem>>(async write =>
        {
            // SKIP LOCKED: instances claiming at once each take different rows, none waits for another, and a row
            // leased by an instance that died becomes due again when its lease runs out.
            await using var claim = write.Command(
                $"""
                WITH w AS (
                UPDATE sink_work SET lease_until = @until
                WHERE (event_id, sink) IN (
                    SELECT event_id, sink FROM sink_work
                    WHERE sink = @sink AND state = 0 AND next_attempt_at <= @now AND lease_until <= @now
                        AND NOT EXISTS (SELECT 1 FROM sink_pauses p WHERE p.sink = @sink) -- paused by an operator
                    ORDER BY next_attempt_at, event_seq LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING {WorkColumns})
                SELECT {ClaimedWorkColumns}, {ClaimedEventColumns} FROM w {ClaimedEventJoin};
                """);
            claim.Text("sink", sink).Long("now", now.ToUnixTimeMilliseconds()).Long("until", (now + lease).ToUnixTimeMilliseconds()).Int("limit", limit);
            var items = new List<SinkWorkItem>();
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(ReadWork(reader) with { Event = ReadClaimedEvent(reader, 9) });
            }

            items.Sort((a, b) => a.EventSequence.CompareTo(b.EventSequence));
            return items;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordAttemptsAsync(IReadOnlyList<SinkOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes)
        {
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
        }

        if (outcomes.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async write =>
        {
            // Both statements are prepared (Npgsql keeps them on the physical connection across pool uses) and rebound
            // per outcome: a batch pays for one commit, and no statement is parsed twice.
            // The insert, made first, carries the lock timeout: each run sets it again, to the same value, in its round trip.
            await using var insert = write.Command(
                $"""
                INSERT INTO sink_attempts ({AttemptColumns})
                VALUES (@event, @sink, @number, @started, @duration, @succeeded, @status, @error, @head);
                """);
            NpgsqlParameter[] a =
            [
                insert.Parameter("event", NpgsqlDbType.Text), insert.Parameter("sink", NpgsqlDbType.Text), insert.Parameter("number", NpgsqlDbType.Integer),
                insert.Parameter("started", NpgsqlDbType.Bigint), insert.Parameter("duration", NpgsqlDbType.Double), insert.Parameter("succeeded", NpgsqlDbType.Boolean),
                insert.Parameter("status", NpgsqlDbType.Integer), insert.Parameter("error", NpgsqlDbType.Text), insert.Parameter("head", NpgsqlDbType.Text),
            ];
            await insert.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await using var update = write.Command(
                """
                UPDATE sink_work SET state = @state, attempts = @attempts, next_attempt_at = @next, lease_until = 0, last_error = @error, updated_at = @now
                WHERE event_id = @event AND sink = @sink;
                """);
            NpgsqlParameter[] u =
            [
                update.Parameter("state", NpgsqlDbType.Integer), update.Parameter("attempts", NpgsqlDbType.Integer), update.Parameter("next", NpgsqlDbType.Bigint),
                update.Parameter("error", NpgsqlDbType.Text), update.Parameter("now", NpgsqlDbType.Bigint), update.Parameter("event", NpgsqlDbType.Text),
                update.Parameter("sink", NpgsqlDbType.Text),
            ];
            await update.PrepareAsync(cancellationToken).ConfigureAwait(false);
            var now = Now();
            foreach (var (item, attempt, retryAt) in outcomes)
            {
                a[0].Value = attempt.EventId;
                a[1].Value = attempt.Sink;
                a[2].Value = attempt.Number;
                a[3].Value = attempt.StartedAt.ToUnixTimeMilliseconds();
                a[4].Value = attempt.Duration.TotalMilliseconds;
                a[5].Value = attempt.Succeeded;
                a[6].Value = attempt.StatusCode.Db();
                a[7].Value = attempt.Error.Db();
                a[8].Value = attempt.ResponseHead.Db();
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                var state = attempt.Succeeded ? SinkWorkState.Done : retryAt is null ? SinkWorkState.Dead : SinkWorkState.Pending;
                u[0].Value = (int)state;
                u[1].Value = attempt.Number;
                u[2].Value = (attempt.Succeeded ? attempt.StartedAt : retryAt ?? attempt.StartedAt).ToUnixTimeMilliseconds();
                u[3].Value = (attempt.Succeeded ? null : attempt.Error).Db();
                u[4].Value = now;
                u[5].Value = item.EventId;
                u[6].Value = item.Sink;
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await ReleaseConversationsAsync(write, outcomes, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ListDeadLettersAsync(string? sink, int limit, CancellationToken cancellationToken) =>
        ReadRowsAsync(
            $"SELECT {WorkColumns} FROM sink_work WHERE state = 2 AND (@sink IS NULL OR sink = @sink) ORDER BY updated_at DESC, event_seq DESC LIMIT @limit;",
            c => c.Text("sink", sink).Int("limit", limit),
            r => ReadWork(r),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkAttempt>> ListAttemptsAsync(string eventId, string? sink, CancellationToken cancellationToken) =>
        ReadRowsAsync(
            $"SELECT {AttemptColumns} FROM sink_attempts WHERE event_id = @event AND (@sink IS NULL OR sink = @sink) ORDER BY seq;",
            c => c.Text("event", eventId).Text("sink", sink),
            r => ReadAttempt(r, 0),
            cancellationToken);

    /// <inheritdoc/>
    public Task<int> RetryDeadLettersAsync(string? sink, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async write =>
        {
            await using var command = write.Command(
                """
                UPDATE sink_work SET state = 0, attempts = 0, next_attempt_at = @now, lease_until = 0, updated_at = @now, scheduled_at = @now
                WHERE state = 2 AND (@sink IS NULL OR sink = @sink);
                """);
            command.Long("now", now.ToUnixTimeMilliseconds()).Text("sink", sink);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> EnqueueAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentException.ThrowIfNullOrEmpty(sink);
        return WriteAsync(async write =>
        {
            await using var command = write.Command(
                $"""
                INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at, scheduled_at, conversation_key, order_at)
                SELECT id, @sink, seq, delivery_id, 0, 0, @now, 0, NULL, @now, @now, {ReplayConversation} FROM events WHERE id = ANY(@events)
                ON CONFLICT (event_id, sink) DO UPDATE SET state = 0, attempts = 0, next_attempt_at = @now, lease_until = 0, updated_at = @now, scheduled_at = @now;
                """);
            command.Text("sink", sink).Long("now", now.ToUnixTimeMilliseconds());
            command.Parameters.Add(new NpgsqlParameter("events", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = eventIds.ToArray() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkBacklog>> GetBacklogAsync(CancellationToken cancellationToken) =>
        ReadRowsAsync(
            BacklogSql,
            _ => { },
            r =>
            {
                var lastSuccess = r.NullableTime(5);
                var lastFailure = r.IsDBNull(6) ? null : ReadAttempt(r, 6);
                return new SinkBacklog(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3))
                {
                    OldestPendingSince = r.NullableTime(4),
                    LastAttemptAt = Later(lastSuccess, lastFailure?.StartedAt),
                    LastSuccessAt = lastSuccess,
                    LastFailure = lastFailure,
                };
            },
            cancellationToken);

    private static SinkWorkItem ReadWork(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), (SinkWorkState)reader.GetInt32(4),
        reader.GetInt32(5), reader.Time(6), reader.NullableString(7), reader.Time(8));

    /// <summary>Reads the <see cref="ClaimedEventColumns"/> starting at <paramref name="first"/>; null when the event is gone.</summary>
    private static ClaimedEvent? ReadClaimedEvent(NpgsqlDataReader reader, int first) => reader.IsDBNull(first) ? null : new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetString(first + 2), reader.NullableString(first + 3),
        reader.NullableTime(first + 4), reader.GetInt32(first + 5), reader.GetBoolean(first + 6),
        reader.IsDBNull(first + 7) ? ReadOnlyMemory<byte>.Empty : reader.GetFieldValue<byte[]>(first + 7));

    /// <summary>Reads the <see cref="AttemptColumns"/> starting at <paramref name="first"/>.</summary>
    private static SinkAttempt ReadAttempt(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetInt32(first + 2), reader.Time(first + 3),
        TimeSpan.FromMilliseconds(reader.GetDouble(first + 4)), reader.GetBoolean(first + 5),
        reader.IsDBNull(first + 6) ? null : reader.GetInt32(first + 6), reader.NullableString(first + 7), reader.NullableString(first + 8));

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null || a >= b ? a : b;
}
