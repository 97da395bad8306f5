using Microsoft.Data.Sqlite;
using WabaHooks.Events;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

/// <summary>
/// The three statements that apply a status to the message status view, prepared once per processor commit rather
/// than once per status: statuses are most of a busy gateway's events.
/// </summary>
internal sealed class StatusCommands : IDisposable
{
    private readonly SqliteCommand _read;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _timeline;

    public StatusCommands(SqliteConnection connection, SqliteTransaction transaction)
    {
        _read = connection.Command(transaction, "SELECT status FROM message_status WHERE wamid = $wamid;");
        _read.Parameter("$wamid");
        _upsert = connection.Command(transaction,
            """
            INSERT INTO message_status (wamid, status, recipient_id, updated_at, event_id) VALUES ($wamid, $status, $recipient, $at, $event)
            ON CONFLICT (wamid) DO UPDATE SET status = excluded.status, recipient_id = excluded.recipient_id, updated_at = excluded.updated_at, event_id = excluded.event_id;
            """);
        foreach (var name in new[] { "$wamid", "$status", "$recipient", "$at", "$event" })
        {
            _upsert.Parameter(name);
        }

        _timeline = connection.Command(transaction,
            """
            INSERT INTO message_status_timeline (event_id, wamid, status, timestamp, recipient_id, delivery_id, applied)
            VALUES ($event, $wamid, $status, $at, $recipient, $delivery, $applied) ON CONFLICT (event_id) DO NOTHING;
            """);
        foreach (var name in new[] { "$event", "$wamid", "$status", "$at", "$recipient", "$delivery", "$applied" })
        {
            _timeline.Parameter(name);
        }
    }

    public void Apply(string eventId, long deliveryId, StatusChange status)
    {
        _read.Parameters["$wamid"].Value = status.Wamid;
        var current = _read.ExecuteScalar() as string;

        // Statuses arrive out of order; the view only moves forward (sent < delivered < read < played; failed is final).
        var applied = MessageStatusOrder.ShouldAdvance(current, status.Status);
        object timestamp = status.Timestamp?.ToUnixTimeMilliseconds() is { } ms ? ms : DBNull.Value;
        var recipient = status.RecipientId.Db();
        if (applied)
        {
            var u = _upsert.Parameters;
            u["$wamid"].Value = status.Wamid;
            u["$status"].Value = status.Status;
            u["$recipient"].Value = recipient;
            u["$at"].Value = timestamp;
            u["$event"].Value = eventId;
            _upsert.ExecuteNonQuery();
        }

        var t = _timeline.Parameters;
        t["$event"].Value = eventId;
        t["$wamid"].Value = status.Wamid;
        t["$status"].Value = status.Status;
        t["$at"].Value = timestamp;
        t["$recipient"].Value = recipient;
        t["$delivery"].Value = deliveryId;
        t["$applied"].Value = applied ? 1 : 0;
        _timeline.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _read.Dispose();
        _upsert.Dispose();
        _timeline.Dispose();
    }
}

/// <summary>Runs an action on dispose: for resources created lazily inside a using scope.</summary>
internal readonly struct DisposeLater(Action action) : IDisposable
{
    public void Dispose() => action();
}
