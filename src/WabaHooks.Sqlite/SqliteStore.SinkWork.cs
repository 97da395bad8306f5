using Microsoft.Data.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore
{
    private const string WorkColumns = "event_id, event_seq, delivery_id, sink, state, attempts, next_attempt_at, last_error, scheduled_at";
    internal const string AttemptColumns = "event_id, sink, number, started_at, duration_ms, succeeded, status_code, error, response_head";
    private const string FailureColumns = "f.event_id, f.sink, f.number, f.started_at, f.duration_ms, f.succeeded, f.status_code, f.error, f.response_head";

    // Per sink: the counts and the oldest pending item in one pass over sink_work, then the latest success and the
    // latest failure, each one seek at the end of its (sink, succeeded) range of sink_attempts_by_outcome. The latest
    // attempt is the later of those two, so it needs no lookup of its own: MAX over the whole sink would read every
    // index entry of it.
    internal const string BacklogSql =
        $"""
        SELECT w.sink, w.pending, w.dead, w.done, w.oldest_pending,
            (SELECT s.started_at FROM sink_attempts s WHERE s.sink = w.sink AND s.succeeded = 1 ORDER BY s.started_at DESC LIMIT 1),
            {FailureColumns}
        FROM (
            SELECT sink, SUM(state = 0) AS pending, SUM(state = 2) AS dead, SUM(state = 1) AS done, MIN(scheduled_at) FILTER (WHERE state = 0) AS oldest_pending
            FROM sink_work GROUP BY sink) w
        LEFT JOIN sink_attempts f ON f.seq = (
            SELECT a.seq FROM sink_attempts a WHERE a.sink = w.sink AND a.succeeded = 0 ORDER BY a.started_at DESC, a.seq DESC LIMIT 1)
        ORDER BY w.sink;
        """;

    /// <summary>
    /// In the order of <c>sink_work_due</c>, so SQLite walks the index and stops after <c>$limit</c> rows: a claim reads
    /// only the rows it takes (and the few leased ones ahead of them), never the whole backlog. Ordered by
    /// <c>event_seq</c> alone it sorted every due row on each claim, which made forwarding a backlog quadratic.
    /// </summary>
    internal const string ClaimSql =
        $"""
        SELECT {ClaimedWorkColumns}, {ClaimedEventColumns} FROM sink_work w {ClaimedEventJoin}
        WHERE w.sink = $sink AND w.state = 0 AND w.next_attempt_at <= $now AND w.lease_until <= $now
        ORDER BY w.next_attempt_at, w.event_seq LIMIT $limit;
        """;

    /// <summary><see cref="WorkColumns"/> of <c>sink_work w</c>, beside the columns of its event.</summary>
    private const string ClaimedWorkColumns = "w.event_id, w.event_seq, w.delivery_id, w.sink, w.state, w.attempts, w.next_attempt_at, w.last_error, w.scheduled_at";

    /// <summary>
    /// What dispatch needs of a claimed item's event to rebuild it from its delivery without a split
    /// (<see cref="SinkWorkItem.Event"/>): one lookup by its key, in the claim's own statement.
    /// </summary>
    private const string ClaimedEventColumns = "e.type, e.field, e.waba_id, e.phone_number_id, e.occurred_at, e.position, e.test, e.locator";

    private const string ClaimedEventJoin = "LEFT JOIN events e ON e.seq = w.event_seq";

    /// <inheritdoc/>
    /// <remarks>
    /// Claims and outcomes are committed without their own fsync (the next inbox commit syncs the WAL as a whole): a
    /// power cut can lose only the last ones, and a lost lease or outcome means an event is sent again, which
    /// at-least-once allows. Halves the cost of forwarding on a disk where fsync dominates.
    /// </remarks>
    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueAsync(string sink, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return WriteAsync<IReadOnlyList<SinkWorkItem>>((connection, transaction) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var items = new List<SinkWorkItem>();
            var commands = SinkCommands(connection);
            if (commands.IsPaused(transaction, sink))
            {
                return items;
            }

            var select = SinkWorkCommands.In(commands.Claim, transaction);
            select[0].Value = sink;
            select[1].Value = at;
            select[2].Value = limit;
            using (var reader = commands.Claim.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(ReadWork(reader) with { Event = ReadClaimedEvent(reader, 9) });
                }
            }

            var leaseItem = SinkWorkCommands.In(commands.Lease, transaction);
            leaseItem[0].Value = (now + lease).ToUnixTimeMilliseconds();
            leaseItem[2].Value = sink;
            foreach (var item in items)
            {
                leaseItem[1].Value = item.EventSequence;
                commands.Lease.ExecuteNonQuery();
            }

            return items;
        }, cancellationToken, durable: false);
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

        return WriteAsync((connection, transaction) =>
        {
            // Both statements are compiled once per writer connection and rebound per outcome: a batch pays for one commit.
            var commands = SinkCommands(connection);
            var a = SinkWorkCommands.In(commands.InsertAttempt, transaction);
            var u = SinkWorkCommands.In(commands.RecordOutcome, transaction);
            var insert = commands.InsertAttempt;
            var update = commands.RecordOutcome;
            var now = Now();
            foreach (var (item, attempt, retryAt) in outcomes)
            {
                a[0].Value = attempt.EventId;
                a[1].Value = attempt.Sink;
                a[2].Value = attempt.Number;
                a[3].Value = attempt.StartedAt.ToUnixTimeMilliseconds();
                a[4].Value = attempt.Duration.TotalMilliseconds;
                a[5].Value = attempt.Succeeded ? 1 : 0;
                a[6].Value = attempt.StatusCode.Db();
                a[7].Value = attempt.Error.Db();
                a[8].Value = attempt.ResponseHead.Db();
                insert.ExecuteNonQuery();

                var state = attempt.Succeeded ? SinkWorkState.Done : retryAt is null ? SinkWorkState.Dead : SinkWorkState.Pending;
                u[0].Value = (int)state;
                u[1].Value = attempt.Number;
                u[2].Value = (attempt.Succeeded ? attempt.StartedAt : retryAt ?? attempt.StartedAt).ToUnixTimeMilliseconds();
                u[3].Value = (attempt.Succeeded ? null : attempt.Error).Db();
                u[4].Value = now;
                u[5].Value = item.EventSequence;
                u[6].Value = item.Sink;
                update.ExecuteNonQuery();
            }

            ReleaseConversations(commands, transaction, outcomes);
            return 0;
        }, cancellationToken, durable: false);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ListDeadLettersAsync(string? sink, int limit, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.Command(null,
            $"SELECT {WorkColumns} FROM sink_work WHERE state = 2 AND ($sink IS NULL OR sink = $sink) ORDER BY updated_at DESC, event_seq DESC LIMIT $limit;",
            ("$sink", sink), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var list = new List<SinkWorkItem>();
        while (reader.Read())
        {
            list.Add(ReadWork(reader));
        }

        return Task.FromResult<IReadOnlyList<SinkWorkItem>>(list);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkAttempt>> ListAttemptsAsync(string eventId, string? sink, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.Command(null,
            $"SELECT {AttemptColumns} FROM sink_attempts WHERE event_id = $event AND ($sink IS NULL OR sink = $sink) ORDER BY seq;",
            ("$event", eventId), ("$sink", sink));
        using var reader = command.ExecuteReader();
        var list = new List<SinkAttempt>();
        while (reader.Read())
        {
            list.Add(ReadAttempt(reader, 0));
        }

        return Task.FromResult<IReadOnlyList<SinkAttempt>>(list);
    }

    /// <inheritdoc/>
    public Task<int> RetryDeadLettersAsync(string? sink, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = connection.Command(transaction,
                """
                UPDATE sink_work SET state = 0, attempts = 0, next_attempt_at = $now, lease_until = 0, updated_at = $now, scheduled_at = $now
                WHERE state = 2 AND ($sink IS NULL OR sink = $sink);
                """,
                ("$now", now.ToUnixTimeMilliseconds()), ("$sink", sink));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> EnqueueAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentException.ThrowIfNullOrEmpty(sink);
        return WriteAsync((connection, transaction) =>
        {
            using var command = connection.Command(transaction,
                $"""
                INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at, scheduled_at, conversation_key, order_at)
                SELECT id, $sink, seq, delivery_id, 0, 0, $now, 0, NULL, $now, $now, {ReplayConversation}
                FROM events WHERE id = $event
                ON CONFLICT (event_seq, sink) DO UPDATE SET state = 0, attempts = 0, next_attempt_at = $now, lease_until = 0, updated_at = $now, scheduled_at = $now;
                """);
            var eventId = command.Parameter("$event");
            command.Parameter("$sink").Value = sink;
            command.Parameter("$now").Value = now.ToUnixTimeMilliseconds();
            var count = 0;
            foreach (var id in eventIds)
            {
                eventId.Value = id;
                count += command.ExecuteNonQuery();
            }

            return count;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkBacklog>> GetBacklogAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.Command(null, BacklogSql);
        using var reader = command.ExecuteReader();
        var list = new List<SinkBacklog>();
        while (reader.Read())
        {
            var lastSuccess = reader.NullableTime(5);
            var lastFailure = reader.IsDBNull(6) ? null : ReadAttempt(reader, 6);
            list.Add(new SinkBacklog(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3))
            {
                OldestPendingSince = reader.NullableTime(4),
                LastAttemptAt = Later(lastSuccess, lastFailure?.StartedAt),
                LastSuccessAt = lastSuccess,
                LastFailure = lastFailure,
            });
        }

        return Task.FromResult<IReadOnlyList<SinkBacklog>>(list);
    }

    /// <summary>The forwarding path's statements for <paramref name="writer"/>, made again when the writer connection was replaced.</summary>
    private SinkWorkCommands SinkCommands(SqliteConnection writer)
    {
        if (_sinkWorkCommands?.Connection != writer)
        {
            _sinkWorkCommands?.Dispose();
            _sinkWorkCommands = new SinkWorkCommands(writer);
        }

        return _sinkWorkCommands;
    }

    private SinkWorkCommands? _sinkWorkCommands;

    private static SinkWorkItem ReadWork(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), (SinkWorkState)reader.GetInt32(4),
        reader.GetInt32(5), reader.Time(6), reader.NullableString(7), reader.Time(8));

    /// <summary>Reads the <see cref="ClaimedEventColumns"/> starting at <paramref name="first"/>; null when the event is gone.</summary>
    private static ClaimedEvent? ReadClaimedEvent(SqliteDataReader reader, int first) => reader.IsDBNull(first) ? null : new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetString(first + 2), reader.NullableString(first + 3),
        reader.NullableTime(first + 4), reader.GetInt32(first + 5), reader.GetInt64(first + 6) != 0,
        reader.IsDBNull(first + 7) ? ReadOnlyMemory<byte>.Empty : (byte[])reader.GetValue(first + 7));

    /// <summary>Reads the <see cref="AttemptColumns"/> starting at <paramref name="first"/>.</summary>
    private static SinkAttempt ReadAttempt(SqliteDataReader reader, int first) => new(
        reader.GetString(first), reader.GetString(first + 1), reader.GetInt32(first + 2), reader.Time(first + 3),
        TimeSpan.FromMilliseconds(reader.GetDouble(first + 4)), reader.GetInt64(first + 5) == 1,
        reader.IsDBNull(first + 6) ? null : reader.GetInt32(first + 6), reader.NullableString(first + 7), reader.NullableString(first + 8));

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null || a >= b ? a : b;
}
