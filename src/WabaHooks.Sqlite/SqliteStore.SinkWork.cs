using Microsoft.Data.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore
{
    private const string WorkColumns = "event_id, event_seq, delivery_id, sink, state, attempts, next_attempt_at, last_error";

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueAsync(string sink, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return WriteAsync<IReadOnlyList<SinkWorkItem>>((connection, transaction) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var items = new List<SinkWorkItem>();
            using (var select = connection.Command(transaction,
                $"""
                SELECT {WorkColumns} FROM sink_work
                WHERE sink = $sink AND state = 0 AND next_attempt_at <= $now AND lease_until <= $now
                ORDER BY event_seq LIMIT $limit;
                """,
                ("$sink", sink), ("$now", at), ("$limit", limit)))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(ReadWork(reader));
                }
            }

            using var leaseCommand = connection.Command(transaction, "UPDATE sink_work SET lease_until = $until WHERE event_id = $event AND sink = $sink;");
            var until = leaseCommand.Parameter("$until");
            var eventId = leaseCommand.Parameter("$event");
            leaseCommand.Parameter("$sink").Value = sink;
            until.Value = (now + lease).ToUnixTimeMilliseconds();
            foreach (var item in items)
            {
                eventId.Value = item.EventId;
                leaseCommand.ExecuteNonQuery();
            }

            return items;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordAttemptAsync(SinkWorkItem item, SinkAttempt attempt, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(attempt);
        return WriteAsync((connection, transaction) =>
        {
            using (var insert = connection.Command(transaction,
                """
                INSERT INTO sink_attempts (event_id, sink, number, started_at, duration_ms, succeeded, status_code, error, response_head)
                VALUES ($event, $sink, $number, $started, $duration, $succeeded, $status, $error, $head);
                """,
                ("$event", attempt.EventId), ("$sink", attempt.Sink), ("$number", attempt.Number), ("$started", attempt.StartedAt.ToUnixTimeMilliseconds()),
                ("$duration", attempt.Duration.TotalMilliseconds), ("$succeeded", attempt.Succeeded ? 1 : 0), ("$status", attempt.StatusCode),
                ("$error", attempt.Error), ("$head", attempt.ResponseHead)))
            {
                insert.ExecuteNonQuery();
            }

            var state = attempt.Succeeded ? SinkWorkState.Done : retryAt is null ? SinkWorkState.Dead : SinkWorkState.Pending;
            using var update = connection.Command(transaction,
                """
                UPDATE sink_work SET state = $state, attempts = $attempts, next_attempt_at = $next, lease_until = 0, last_error = $error, updated_at = $now
                WHERE event_id = $event AND sink = $sink;
                """,
                ("$state", (int)state), ("$attempts", attempt.Number), ("$next", (retryAt ?? attempt.StartedAt).ToUnixTimeMilliseconds()),
                ("$error", attempt.Succeeded ? null : attempt.Error), ("$now", Now()), ("$event", item.EventId), ("$sink", item.Sink));
            update.ExecuteNonQuery();
            return 0;
        }, cancellationToken);
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
            """
            SELECT event_id, sink, number, started_at, duration_ms, succeeded, status_code, error, response_head FROM sink_attempts
            WHERE event_id = $event AND ($sink IS NULL OR sink = $sink) ORDER BY seq;
            """,
            ("$event", eventId), ("$sink", sink));
        using var reader = command.ExecuteReader();
        var list = new List<SinkAttempt>();
        while (reader.Read())
        {
            list.Add(new SinkAttempt(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.Time(3), TimeSpan.FromMilliseconds(reader.GetDouble(4)),
                reader.GetInt64(5) == 1, reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.NullableString(7), reader.NullableString(8)));
        }

        return Task.FromResult<IReadOnlyList<SinkAttempt>>(list);
    }

    /// <inheritdoc/>
    public Task<int> RetryDeadLettersAsync(string? sink, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = connection.Command(transaction,
                "UPDATE sink_work SET state = 0, attempts = 0, next_attempt_at = $now, lease_until = 0, updated_at = $now WHERE state = 2 AND ($sink IS NULL OR sink = $sink);",
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
                """
                INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at)
                SELECT id, $sink, seq, delivery_id, 0, 0, $now, 0, NULL, $now FROM events WHERE id = $event
                ON CONFLICT (event_id, sink) DO UPDATE SET state = 0, attempts = 0, next_attempt_at = $now, lease_until = 0, updated_at = $now;
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
        using var command = connection.Command(null,
            "SELECT sink, SUM(state = 0), SUM(state = 2), SUM(state = 1) FROM sink_work GROUP BY sink ORDER BY sink;");
        using var reader = command.ExecuteReader();
        var list = new List<SinkBacklog>();
        while (reader.Read())
        {
            list.Add(new SinkBacklog(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return Task.FromResult<IReadOnlyList<SinkBacklog>>(list);
    }

    private static SinkWorkItem ReadWork(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), (SinkWorkState)reader.GetInt32(4),
        reader.GetInt32(5), reader.Time(6), reader.NullableString(7));
}
