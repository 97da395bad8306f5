using Microsoft.Data.Sqlite;

namespace WabaHooks.Sqlite;

/// <summary>
/// The statements of the forwarding path (claims, leases, outcomes), compiled once per writer connection and rebound on
/// every call: a destination at full speed claims and records a few hundred times a second, and compiling them each
/// time was a tenth of SQLite's share of the profile. Used only under the store's write lock, with the connection they
/// were made on; a new writer connection (after a failed commit) gets new ones.
/// </summary>
internal sealed class SinkWorkCommands : IDisposable
{
    private readonly List<SqliteCommand> _all = [];

    public SinkWorkCommands(SqliteConnection connection)
    {
        Connection = connection;
        Paused = Make("SELECT 1 FROM sink_pauses WHERE sink = $sink;", "$sink");
        Claim = Make(SqliteStore.ClaimSql, "$sink", "$now", "$limit");
        Lease = Make("UPDATE sink_work SET lease_until = $until WHERE event_seq = $seq AND sink = $sink;", "$until", "$seq", "$sink");
        OrderedClaim = Make(SqliteStore.OrderedClaimSql, "$sink", "$now", "$settled", "$limit");
        LeaseConversation = Make(
            """
            INSERT INTO sink_conversations (sink, conversation_key, event_id, lease_until) VALUES ($sink, $key, $event, $until)
            ON CONFLICT (sink, conversation_key) DO UPDATE SET event_id = excluded.event_id, lease_until = excluded.lease_until;
            """,
            "$sink", "$key", "$event", "$until");
        InsertAttempt = Make(
            $"""
            INSERT INTO sink_attempts ({SqliteStore.AttemptColumns})
            VALUES ($event, $sink, $number, $started, $duration, $succeeded, $status, $error, $head);
            """,
            "$event", "$sink", "$number", "$started", "$duration", "$succeeded", "$status", "$error", "$head");
        RecordOutcome = Make(
            """
            UPDATE sink_work SET state = $state, attempts = $attempts, next_attempt_at = $next, lease_until = 0, last_error = $error, updated_at = $now
            WHERE event_seq = $seq AND sink = $sink;
            """,
            "$state", "$attempts", "$next", "$error", "$now", "$seq", "$sink");
        ReleaseConversation = Make(
            "DELETE FROM sink_conversations WHERE sink = $sink AND conversation_key = $key AND event_id = $event;", "$sink", "$key", "$event");

        SqliteCommand Make(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _all.Add(command);
            return command;
        }
    }

    /// <summary>The connection these statements belong to.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>Whether an operator paused the sink (a row when paused): $sink.</summary>
    public SqliteCommand Paused { get; }

    /// <summary>Whether an operator paused <paramref name="sink"/>: its claims then take nothing (one primary-key seek).</summary>
    public bool IsPaused(SqliteTransaction transaction, string sink)
    {
        In(Paused, transaction)[0].Value = sink;
        return Paused.ExecuteScalar() is not null;
    }

    /// <summary><see cref="SqliteStore.ClaimSql"/>: $sink, $now, $limit.</summary>
    public SqliteCommand Claim { get; }

    /// <summary>Leases one item: $until, $seq (its event's sequence), $sink.</summary>
    public SqliteCommand Lease { get; }

    /// <summary><see cref="SqliteStore.OrderedClaimSql"/>: $sink, $now, $settled, $limit.</summary>
    public SqliteCommand OrderedClaim { get; }

    /// <summary>Takes a conversation for an item: $sink, $key, $event, $until.</summary>
    public SqliteCommand LeaseConversation { get; }

    /// <summary>Keeps an attempt: the attempt columns, in order.</summary>
    public SqliteCommand InsertAttempt { get; }

    /// <summary>Moves an item on after its attempt: $state, $attempts, $next, $error, $now, $seq (its event's sequence), $sink.</summary>
    public SqliteCommand RecordOutcome { get; }

    /// <summary>Frees a conversation its item held: $sink, $key, $event.</summary>
    public SqliteCommand ReleaseConversation { get; }

    /// <summary>Enlists <paramref name="command"/> in <paramref name="transaction"/> and returns its parameters, in the order made.</summary>
    public static SqliteParameterCollection In(SqliteCommand command, SqliteTransaction transaction)
    {
        command.Transaction = transaction;
        return command.Parameters;
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }
}
