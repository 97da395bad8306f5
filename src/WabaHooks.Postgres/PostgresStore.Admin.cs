using System.Text;
using Npgsql;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

public sealed partial class PostgresStore : IAdminStore
{
    /// <inheritdoc/>
    public async Task<long> CountEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, parameters) = PostgresStore.EventFilter(query);
        var rows = await ReadRowsAsync($"SELECT COUNT(*) FROM events WHERE {where};", parameters, r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredAttempt>> QueryAttemptsAsync(AttemptQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var sql = new StringBuilder($"SELECT seq, {AttemptColumns} FROM sink_attempts WHERE seq < @before AND seq > @after");
        var parameters = new List<Action<NpgsqlCommand>>
        {
            c => c.Long("before", query.BeforeSequence ?? long.MaxValue).Long("after", query.AfterSequence ?? 0).Int("limit", query.Limit),
        };
        if (query.EventId is { } eventId)
        {
            sql.Append(" AND event_id = @event");
            parameters.Add(c => c.Text("event", eventId));
        }

        if (query.Sink is { } sink)
        {
            sql.Append(" AND sink = @sink");
            parameters.Add(c => c.Text("sink", sink));
        }

        if (query.Succeeded is { } succeeded)
        {
            sql.Append(" AND succeeded = @succeeded");
            parameters.Add(c => c.Bool("succeeded", succeeded));
        }

        if (query.StatusCode is { } status)
        {
            sql.Append(" AND status_code = @status");
            parameters.Add(c => c.Int("status", status));
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND started_at >= @since");
            parameters.Add(c => c.Long("since", since.ToUnixTimeMilliseconds()));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND started_at < @until");
            parameters.Add(c => c.Long("until", until.ToUnixTimeMilliseconds()));
        }

        sql.Append(query.AfterSequence is null ? " ORDER BY seq DESC" : " ORDER BY seq").Append(" LIMIT @limit;");
        return ReadRowsAsync(sql.ToString(), c => parameters.ForEach(p => p(c)), r => new StoredAttempt(r.GetInt64(0), ReadAttempt(r, 1)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredDeadLetter>> QueryDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        // A dead pair's updated_at is when it died and stays so until a retry revives it: with the event and sink it is a
        // key no other row shares and no write moves, so the row comparison pages without repeating or skipping (the
        // comparison and ORDER BY use the column's one collation for sink).
        var before = query.Before is null ? "" : " AND (updated_at, event_seq, sink) < (@at, @seq, @before)";
        return ReadRowsAsync(
            $"SELECT {WorkColumns}, updated_at FROM sink_work WHERE state = 2 AND (@sink IS NULL OR sink = @sink){before} ORDER BY updated_at DESC, event_seq DESC, sink DESC LIMIT @limit;",
            c =>
            {
                c.Text("sink", query.Sink).Int("limit", query.Limit);
                if (query.Before is { } position)
                {
                    c.Long("at", position.DeadAt.ToUnixTimeMilliseconds()).Long("seq", position.EventSequence).Text("before", position.Sink);
                }
            },
            r => new StoredDeadLetter(r.Time(9), ReadWork(r)),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ListSinkWorkAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        return ReadRowsAsync(
            $"SELECT {WorkColumns} FROM sink_work WHERE event_id = ANY(@events) ORDER BY array_position(@events, event_id), sink;",
            c => c.Parameters.Add(new NpgsqlParameter("events", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = eventIds.ToArray() }),
            r => ReadWork(r),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> RetryAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentException.ThrowIfNullOrEmpty(sink);
        return WriteAsync(async write =>
        {
            await using var command = write.Command(
                """
                UPDATE sink_work SET state = 0, attempts = 0, next_attempt_at = @now, lease_until = 0, updated_at = @now, scheduled_at = @now
                WHERE event_id = ANY(@events) AND sink = @sink AND state <> 1;
                """);
            command.Long("now", now.ToUnixTimeMilliseconds()).Text("sink", sink);
            command.Parameters.Add(new NpgsqlParameter("events", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = eventIds.Distinct(StringComparer.Ordinal).ToArray() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> SetSinkPausedAsync(string sink, bool paused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        return WriteAsync(async write =>
        {
            await using var command = write.Command(paused
                ? "INSERT INTO sink_pauses (sink, paused_at) VALUES (@sink, @now) ON CONFLICT (sink) DO NOTHING;"
                : "DELETE FROM sink_pauses WHERE sink = @sink;");
            command.Text("sink", sink);
            if (paused)
            {
                command.Long("now", now.ToUnixTimeMilliseconds());
            }

            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PausedSink>> ListPausedSinksAsync(CancellationToken cancellationToken) =>
        ReadRowsAsync("SELECT sink, paused_at FROM sink_pauses ORDER BY sink;", _ => { }, r => new PausedSink(r.GetString(0), r.Time(1)), cancellationToken);

    /// <inheritdoc/>
    public Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(async write =>
        {
            await using var command = write.Command(
                "INSERT INTO audit_log (at, actor, action, target, count, detail) VALUES (@at, @actor, @action, @target, @count, @detail) RETURNING id;");
            command.Long("at", entry.At.ToUnixTimeMilliseconds()).Text("actor", entry.Actor).Text("action", entry.Action).Text("target", entry.Target)
                .Long("count", entry.Count).Text("detail", entry.Detail);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, long? beforeId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadRowsAsync(
            "SELECT id, at, actor, action, target, count, detail FROM audit_log WHERE id < @before ORDER BY id DESC LIMIT @limit;",
            c => c.Long("before", beforeId ?? long.MaxValue).Int("limit", limit),
            r => new AuditEntry(r.GetInt64(0), r.Time(1), r.GetString(2), r.GetString(3), r.NullableString(4), r.GetInt64(5), r.NullableString(6)),
            cancellationToken);
    }
}
