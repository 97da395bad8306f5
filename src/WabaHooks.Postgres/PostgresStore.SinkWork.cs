using Npgsql;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore
{
    private const string WorkColumns = "event_id, event_seq, delivery_id, sink, state, attempts, next_attempt_at, last_error";

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueAsync(string sink, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return WriteAsync<IReadOnlyList<SinkWorkItem>>(async (connection, transaction) =>
        {
            // SKIP LOCKED: instances claiming at once each take different rows, none waits for another, and a row
            // leased by an instance that died becomes due again when its lease runs out.
            await using var claim = new NpgsqlCommand(
                $"""
                UPDATE sink_work SET lease_until = @until
                WHERE (event_id, sink) IN (
                    SELECT event_id, sink FROM sink_work
                    WHERE sink = @sink AND state = 0 AND next_attempt_at <= @now AND lease_until <= @now
                    ORDER BY event_seq LIMIT @limit FOR UPDATE SKIP LOCKED)
                RETURNING {WorkColumns};
                """, connection, transaction);
            claim.Text("sink", sink).Long("now", now.ToUnixTimeMilliseconds()).Long("until", (now + lease).ToUnixTimeMilliseconds()).Int("limit", limit);
            var items = new List<SinkWorkItem>();
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(ReadWork(reader));
            }

            items.Sort((a, b) => a.EventSequence.CompareTo(b.EventSequence));
            return items;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordAttemptAsync(SinkWorkItem item, SinkAttempt attempt, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(attempt);
        return WriteAsync(async (connection, transaction) =>
        {
            await using (var insert = new NpgsqlCommand(
                """
                INSERT INTO sink_attempts (event_id, sink, number, started_at, duration_ms, succeeded, status_code, error, response_head)
                VALUES (@event, @sink, @number, @started, @duration, @succeeded, @status, @error, @head);
                """, connection, transaction))
            {
                insert.Text("event", attempt.EventId).Text("sink", attempt.Sink).Int("number", attempt.Number).Long("started", attempt.StartedAt.ToUnixTimeMilliseconds())
                    .Double("duration", attempt.Duration.TotalMilliseconds).Bool("succeeded", attempt.Succeeded).Int("status", attempt.StatusCode)
                    .Text("error", attempt.Error).Text("head", attempt.ResponseHead);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var state = attempt.Succeeded ? SinkWorkState.Done : retryAt is null ? SinkWorkState.Dead : SinkWorkState.Pending;
            await using var update = new NpgsqlCommand(
                """
                UPDATE sink_work SET state = @state, attempts = @attempts, next_attempt_at = @next, lease_until = 0, last_error = @error, updated_at = @now
                WHERE event_id = @event AND sink = @sink;
                """, connection, transaction);
            update.Int("state", (int)state).Int("attempts", attempt.Number).Long("next", (retryAt ?? attempt.StartedAt).ToUnixTimeMilliseconds())
                .Text("error", attempt.Succeeded ? null : attempt.Error).Long("now", Now()).Text("event", item.EventId).Text("sink", item.Sink);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ListDeadLettersAsync(string? sink, int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SinkWorkItem>>(
            $"SELECT {WorkColumns} FROM sink_work WHERE state = 2 AND (@sink IS NULL OR sink = @sink) ORDER BY updated_at DESC, event_seq DESC LIMIT @limit;",
            c => c.Text("sink", sink).Int("limit", limit),
            r =>
            {
                var list = new List<SinkWorkItem>();
                while (r.Read())
                {
                    list.Add(ReadWork(r));
                }

                return list;
            },
            cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkAttempt>> ListAttemptsAsync(string eventId, string? sink, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SinkAttempt>>(
            """
            SELECT event_id, sink, number, started_at, duration_ms, succeeded, status_code, error, response_head FROM sink_attempts
            WHERE event_id = @event AND (@sink IS NULL OR sink = @sink) ORDER BY seq;
            """,
            c => c.Text("event", eventId).Text("sink", sink),
            r =>
            {
                var list = new List<SinkAttempt>();
                while (r.Read())
                {
                    list.Add(new SinkAttempt(
                        r.GetString(0), r.GetString(1), r.GetInt32(2), r.Time(3), TimeSpan.FromMilliseconds(r.GetDouble(4)),
                        r.GetBoolean(5), r.IsDBNull(6) ? null : r.GetInt32(6), r.NullableString(7), r.NullableString(8)));
                }

                return list;
            },
            cancellationToken);

    /// <inheritdoc/>
    public Task<int> RetryDeadLettersAsync(string? sink, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                "UPDATE sink_work SET state = 0, attempts = 0, next_attempt_at = @now, lease_until = 0, updated_at = @now WHERE state = 2 AND (@sink IS NULL OR sink = @sink);",
                connection, transaction);
            command.Long("now", now.ToUnixTimeMilliseconds()).Text("sink", sink);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> EnqueueAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentException.ThrowIfNullOrEmpty(sink);
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at)
                SELECT id, @sink, seq, delivery_id, 0, 0, @now, 0, NULL, @now FROM events WHERE id = ANY(@events)
                ON CONFLICT (event_id, sink) DO UPDATE SET state = 0, attempts = 0, next_attempt_at = @now, lease_until = 0, updated_at = @now;
                """, connection, transaction);
            command.Text("sink", sink).Long("now", now.ToUnixTimeMilliseconds());
            command.Parameters.Add(new NpgsqlParameter("events", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = eventIds.ToArray() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkBacklog>> GetBacklogAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SinkBacklog>>(
            "SELECT sink, count(*) FILTER (WHERE state = 0), count(*) FILTER (WHERE state = 2), count(*) FILTER (WHERE state = 1) FROM sink_work GROUP BY sink ORDER BY sink;",
            _ => { },
            r =>
            {
                var list = new List<SinkBacklog>();
                while (r.Read())
                {
                    list.Add(new SinkBacklog(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)));
                }

                return list;
            },
            cancellationToken);

    private static SinkWorkItem ReadWork(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), (SinkWorkState)reader.GetInt32(4),
        reader.GetInt32(5), reader.Time(6), reader.NullableString(7));
}
