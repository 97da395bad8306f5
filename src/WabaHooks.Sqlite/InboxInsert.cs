using Microsoft.Data.Sqlite;
using WabaHooks.Inbox;

namespace WabaHooks.Sqlite;

/// <summary>
/// The inbox's INSERTs (the delivery, and its id in <c>delivery_pending</c>), prepared once on the writer connection and
/// bound through SQLite's own API (<see cref="RawStatement"/>) for each delivery: the body is bound from its span, with
/// no copy to an exact-size array and no boxed parameter values.
/// </summary>
/// <remarks>
/// The group-commit writer runs this for every delivery acknowledged, so what <see cref="SqliteCommand"/> adds per
/// execution (a data reader, the statement list, a boxed value and a type check per parameter) showed in the receive
/// path's profile. The statement runs inside the transaction the writer connection has open; SQLite copies each bound
/// value before the step returns, so the caller's buffers are not held.
/// </remarks>
internal sealed class InboxInsert(SqliteConnection connection) : IDisposable
{
    private const string Sql =
        "INSERT INTO deliveries (received_at, app_id, length, flags, body, trace_parent) VALUES (?1, ?2, ?3, ?4, ?5, ?6);";

    private readonly RawStatement _statement = new(connection, Sql);
    private readonly RawStatement _pending = new(connection, "INSERT INTO delivery_pending (id) VALUES (?1);");

    /// <summary>Inserts one delivery, and its id as waiting for the processor, and returns the id.</summary>
    /// <exception cref="SqliteException">SQLite refused or could not write the row.</exception>
    public long Execute(InboundDelivery delivery)
    {
        _statement.Int64(1, delivery.ReceivedAt.ToUnixTimeMilliseconds());
        _statement.Text(2, delivery.AppId);
        _statement.Int64(3, delivery.Body.Length);
        _statement.Int64(4, (long)delivery.Flags);
        _statement.Blob(5, delivery.Body.Span);
        _statement.Text(6, delivery.TraceParent);
        var id = _statement.Insert();
        _pending.Int64(1, id);
        _pending.Execute();
        return id;
    }

    public void Dispose()
    {
        _statement.Dispose();
        _pending.Dispose();
    }
}
