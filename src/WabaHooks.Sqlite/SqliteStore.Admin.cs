using System.Text;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

public sealed partial class SqliteStore : IAdminStore
{
    /// <inheritdoc/>
    public Task<long> CountEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (where, parameters) = SqliteStore.EventFilter(query);
        using var connection = Open();
        using var command = connection.Command(null, $"SELECT COUNT(*) FROM events WHERE {where};", [.. parameters]);
        return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredAttempt>> QueryAttemptsAsync(AttemptQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var sql = new StringBuilder($"SELECT seq, {AttemptColumns} FROM sink_attempts WHERE seq < $before AND seq > $after");
        var parameters = new List<(string, object?)> { ("$before", query.BeforeSequence ?? long.MaxValue), ("$after", query.AfterSequence ?? 0), ("$limit", query.Limit) };
        void Add(object? value, string condition, string name)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }

        Add(query.EventId, "event_id = $event", "$event");
        Add(query.Sink, "sink = $sink", "$sink");
        Add(query.Succeeded is { } succeeded ? succeeded ? 1 : 0 : null, "succeeded = $succeeded", "$succeeded");
        Add(query.StatusCode, "status_code = $status", "$status");
        Add(query.Since?.ToUnixTimeMilliseconds(), "started_at >= $since", "$since");
        Add(query.Until?.ToUnixTimeMilliseconds(), "started_at < $until", "$until");
        sql.Append(query.AfterSequence is null ? " ORDER BY seq DESC" : " ORDER BY seq").Append(" LIMIT $limit;");
        using var connection = Open();
        using var command = connection.Command(null, sql.ToString(), [.. parameters]);
        using var reader = command.ExecuteReader();
        var list = new List<StoredAttempt>();
        while (reader.Read())
        {
            list.Add(new StoredAttempt(reader.GetInt64(0), ReadAttempt(reader, 1)));
        }

        return Task.FromResult<IReadOnlyList<StoredAttempt>>(list);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredDeadLetter>> QueryDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        // A dead pair's updated_at is when it died and stays so until a retry revives it: with the event and sink it is a
        // key no other row shares and no write moves, so the row-value comparison pages without repeating or skipping.
        var before = query.Before is null ? "" : " AND (updated_at, event_seq, sink) < ($at, $seq, $before)";
        using var connection = Open();
        using var command = connection.Command(null,
            $"SELECT {WorkColumns}, updated_at FROM sink_work WHERE state = 2 AND ($sink IS NULL OR sink = $sink){before} ORDER BY updated_at DESC, event_seq DESC, sink DESC LIMIT $limit;",
            ("$sink", query.Sink), ("$limit", query.Limit),
            ("$at", query.Before?.DeadAt.ToUnixTimeMilliseconds()), ("$seq", query.Before?.EventSequence), ("$before", query.Before?.Sink));
        using var reader = command.ExecuteReader();
        var list = new List<StoredDeadLetter>();
        while (reader.Read())
        {
            list.Add(new StoredDeadLetter(reader.Time(9), ReadWork(reader)));
        }

        return Task.FromResult<IReadOnlyList<StoredDeadLetter>>(list);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SinkWorkItem>> ListSinkWorkAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        using var connection = Open();
        using var command = connection.Command(null, $"SELECT {WorkColumns} FROM sink_work WHERE event_seq = (SELECT seq FROM events WHERE id = $event) ORDER BY sink;");
        var eventId = command.Parameter("$event");
        var list = new List<SinkWorkItem>();
        foreach (var id in eventIds)
        {
            eventId.Value = id;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(ReadWork(reader));
            }
        }

        return Task.FromResult<IReadOnlyList<SinkWorkItem>>(list);
    }

    /// <inheritdoc/>
    public Task<int> RetryAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        ArgumentException.ThrowIfNullOrEmpty(sink);
        return WriteAsync((connection, transaction) =>
        {
            using var command = connection.Command(transaction,
                """
                UPDATE sink_work SET state = 0, attempts = 0, next_attempt_at = $now, lease_until = 0, updated_at = $now, scheduled_at = $now
                WHERE event_seq = (SELECT seq FROM events WHERE id = $event) AND sink = $sink AND state <> 1;
                """);
            var eventId = command.Parameter("$event");
            command.Parameter("$sink").Value = sink;
            command.Parameter("$now").Value = now.ToUnixTimeMilliseconds();
            var count = 0;
            foreach (var id in eventIds.Distinct(StringComparer.Ordinal))
            {
                eventId.Value = id;
                count += command.ExecuteNonQuery();
            }

            return count;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> SetSinkPausedAsync(string sink, bool paused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sink);
        return WriteAsync((connection, transaction) =>
        {
            using var command = paused
                ? connection.Command(transaction, "INSERT INTO sink_pauses (sink, paused_at) VALUES ($sink, $now) ON CONFLICT (sink) DO NOTHING;", ("$sink", sink), ("$now", now.ToUnixTimeMilliseconds()))
                : connection.Command(transaction, "DELETE FROM sink_pauses WHERE sink = $sink;", ("$sink", sink));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PausedSink>> ListPausedSinksAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.Command(null, "SELECT sink, paused_at FROM sink_pauses ORDER BY sink;");
        using var reader = command.ExecuteReader();
        var list = new List<PausedSink>();
        while (reader.Read())
        {
            list.Add(new PausedSink(reader.GetString(0), reader.Time(1)));
        }

        return Task.FromResult<IReadOnlyList<PausedSink>>(list);
    }

    /// <inheritdoc/>
    public Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync((connection, transaction) =>
        {
            using var command = connection.Command(transaction,
                "INSERT INTO audit_log (at, actor, action, target, count, detail) VALUES ($at, $actor, $action, $target, $count, $detail) RETURNING id;",
                ("$at", entry.At.ToUnixTimeMilliseconds()), ("$actor", entry.Actor), ("$action", entry.Action), ("$target", entry.Target), ("$count", entry.Count), ("$detail", entry.Detail));
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, long? beforeId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = Open();
        using var command = connection.Command(null,
            "SELECT id, at, actor, action, target, count, detail FROM audit_log WHERE id < $before ORDER BY id DESC LIMIT $limit;",
            ("$before", beforeId ?? long.MaxValue), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var list = new List<AuditEntry>();
        while (reader.Read())
        {
            list.Add(new AuditEntry(reader.GetInt64(0), reader.Time(1), reader.GetString(2), reader.GetString(3), reader.NullableString(4), reader.GetInt64(5), reader.NullableString(6)));
        }

        return Task.FromResult<IReadOnlyList<AuditEntry>>(list);
    }
}
