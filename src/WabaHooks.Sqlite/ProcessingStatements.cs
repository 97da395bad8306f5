using Microsoft.Data.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

/// <summary>
/// The statements of one processor commit, prepared once for its whole batch and bound by position for each row: the
/// event, its sink work, the status view (prepared on the first status) and the delivery's processed mark.
/// </summary>
internal sealed class ProcessingStatements : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly RawStatement _event;
    private readonly RawStatement _work;
    private readonly RawStatement _mark;
    private readonly RawStatement _unpend;
    private readonly RawStatement? _dedupe;
    private StatusCommands? _status;

    public ProcessingStatements(SqliteConnection connection)
    {
        _connection = connection;

        // A plain VALUES insert: the same insert written as INSERT … SELECT … WHERE NOT EXISTS (dedupe_keys) costs SQLite
        // about twice the work per row, so the redelivery horizon is checked by its own probe below.
        _event = new RawStatement(connection,
            """
            INSERT INTO events (id, type, field, waba_id, phone_number_id, occurred_at, delivery_id, position, stored_at, raw_json, test, conversation_key, locator)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            ON CONFLICT (id) DO NOTHING;
            """);
        _work = new RawStatement(connection,
            """
            INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at, scheduled_at, conversation_key, order_at)
            VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, 0, NULL, ?5, ?5, ?6, ?7)
            ON CONFLICT (event_seq, sink) DO NOTHING;
            """);
        _mark = new RawStatement(connection,
            """
            INSERT INTO delivery_outcomes (processed_at, event_count, duplicate_count, parse_error, delivery_id) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (delivery_id) DO UPDATE SET processed_at = excluded.processed_at, event_count = excluded.event_count,
                duplicate_count = excluded.duplicate_count, parse_error = excluded.parse_error;
            """);
        _unpend = new RawStatement(connection, "DELETE FROM delivery_pending WHERE id = ?1;");

        // Keys of events removed by retention, still inside Meta's redelivery horizon. Until retention has removed an
        // event there are none, and no event of this batch needs the probe (the commit holds the write lock, so none
        // appear meanwhile).
        using (var any = new RawStatement(connection, "SELECT 1 FROM dedupe_keys LIMIT 1;"))
        {
            if (any.Exists())
            {
                _dedupe = new RawStatement(connection, "SELECT 1 FROM dedupe_keys WHERE id = ?1;");
            }
        }
    }

    /// <summary>The status view's statements, prepared when the batch's first status needs them.</summary>
    public StatusCommands Status => _status ??= new StatusCommands(_connection);

    /// <summary>Stores the event; false when its key is already stored (or remembered after retention): a duplicate.</summary>
    public bool InsertEvent(NewEvent e, long deliveryId, long now, out long seq)
    {
        seq = 0;
        if (_dedupe is not null)
        {
            _dedupe.Text(1, e.Id);
            if (_dedupe.Exists())
            {
                return false;
            }
        }

        _event.Text(1, e.Id);
        _event.Text(2, e.Type);
        _event.Text(3, e.Field);
        _event.Text(4, e.WabaId);
        _event.Text(5, e.PhoneNumberId);
        _event.Int64(6, e.OccurredAt?.ToUnixTimeMilliseconds());
        _event.Int64(7, deliveryId);
        _event.Int64(8, e.Position);
        _event.Int64(9, now);
        _event.Blob(10, e.RawJson.Span);
        _event.Int64(11, e.IsTest ? 1 : 0);
        _event.Text(12, e.ConversationKey);
        if (e.Locator.IsEmpty)
        {
            _event.Null(13);
        }
        else
        {
            _event.Blob(13, e.Locator.Span);
        }

        if (_event.Execute() == 0)
        {
            return false;
        }

        seq = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);
        return true;
    }

    /// <summary>Schedules the event for one sink; the conversation key and ordering time only for an ordered sink.</summary>
    public void InsertWork(string eventId, string sink, long seq, long deliveryId, long now, string? conversationKey, long? orderAt)
    {
        _work.Text(1, eventId);
        _work.Text(2, sink);
        _work.Int64(3, seq);
        _work.Int64(4, deliveryId);
        _work.Int64(5, now);
        _work.Text(6, conversationKey);
        _work.Int64(7, orderAt);
        _work.Execute();
    }

    /// <summary>Marks the delivery processed, with what it gave or why it could not be split.</summary>
    public void MarkProcessed(long deliveryId, long now, int events, int duplicates, string? parseError)
    {
        _mark.Int64(1, now);
        _mark.Int64(2, events);
        _mark.Int64(3, duplicates);
        _mark.Text(4, parseError);
        _mark.Int64(5, deliveryId);
        _mark.Execute();
        _unpend.Int64(1, deliveryId);
        _unpend.Execute();
    }

    public void Dispose()
    {
        _event.Dispose();
        _work.Dispose();
        _mark.Dispose();
        _unpend.Dispose();
        _dedupe?.Dispose();
        _status?.Dispose();
    }
}
