using Microsoft.Data.Sqlite;
using WabaHooks.Events;
using WabaHooks.Payloads;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

/// <summary>
/// The three statements that apply a status to the message status view, prepared once per processor commit rather
/// than once per status: statuses are most of a busy gateway's events.
/// </summary>
internal sealed class StatusCommands : IDisposable
{
    private static readonly Utf8Reader<int> RankOf = Rank;

    private readonly RawStatement _read;
    private readonly RawStatement _upsert;
    private readonly RawStatement _timeline;

    public StatusCommands(SqliteConnection connection)
    {
        _read = new RawStatement(connection, "SELECT status FROM message_status WHERE wamid = ?1;");
        _upsert = new RawStatement(connection,
            """
            INSERT INTO message_status (wamid, status, recipient_id, updated_at, event_id) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (wamid) DO UPDATE SET status = excluded.status, recipient_id = excluded.recipient_id, updated_at = excluded.updated_at, event_id = excluded.event_id;
            """);
        _timeline = new RawStatement(connection,
            """
            INSERT INTO message_status_timeline (event_id, wamid, status, timestamp, recipient_id, delivery_id, applied)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (event_id) DO NOTHING;
            """);
    }

    public void Apply(string eventId, long deliveryId, StatusChange status)
    {
        _read.Text(1, status.Wamid);
        var current = _read.ReadFirst(RankOf, 0);

        // Statuses arrive out of order; the view only moves forward (sent < delivered < read < played; failed is final).
        var next = MessageStatusOrder.Rank(status.Status);
        var applied = next > 0 && next > current;
        var timestamp = status.Timestamp?.ToUnixTimeMilliseconds();
        if (applied)
        {
            _upsert.Text(1, status.Wamid);
            _upsert.Text(2, status.Status);
            _upsert.Text(3, status.RecipientId);
            _upsert.Int64(4, timestamp);
            _upsert.Text(5, eventId);
            _upsert.Execute();
        }

        _timeline.Text(1, eventId);
        _timeline.Text(2, status.Wamid);
        _timeline.Text(3, status.Status);
        _timeline.Int64(4, timestamp);
        _timeline.Text(5, status.RecipientId);
        _timeline.Int64(6, deliveryId);
        _timeline.Int64(7, applied ? 1 : 0);
        _timeline.Execute();
    }

    public void Dispose()
    {
        _read.Dispose();
        _upsert.Dispose();
        _timeline.Dispose();
    }

    /// <summary><see cref="MessageStatusOrder.Rank"/> of the stored status, read from its bytes without a string.</summary>
    internal static int Rank(ReadOnlySpan<byte> status) =>
        status.SequenceEqual("sent"u8) ? MessageStatusOrder.Rank(MessageStatus.Sent)
        : status.SequenceEqual("delivered"u8) ? MessageStatusOrder.Rank(MessageStatus.Delivered)
        : status.SequenceEqual("read"u8) ? MessageStatusOrder.Rank(MessageStatus.Read)
        : status.SequenceEqual("played"u8) ? MessageStatusOrder.Rank(MessageStatus.Played)
        : status.SequenceEqual("failed"u8) ? MessageStatusOrder.Rank(MessageStatus.Failed)
        : 0;
}
