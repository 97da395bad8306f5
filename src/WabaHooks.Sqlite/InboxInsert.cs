using Microsoft.Data.Sqlite;
using SQLitePCL;
using WabaHooks.Inbox;

namespace WabaHooks.Sqlite;

/// <summary>
/// The inbox's one INSERT, prepared once on the writer connection and bound straight through SQLite's C API for each
/// delivery: the body is bound from its span, with no copy to an exact-size array and no boxed parameter values.
/// </summary>
/// <remarks>
/// The group-commit writer runs this for every delivery acknowledged, so what <see cref="SqliteCommand"/> adds per
/// execution (a data reader, the statement list, a boxed value and a type check per parameter) showed in the receive
/// path's profile. The statement runs inside the transaction the writer connection has open; SQLite copies each bound
/// value before <c>sqlite3_step</c> returns, so the caller's buffers are not held.
/// </remarks>
internal sealed class InboxInsert : IDisposable
{
    private const string Sql =
        "INSERT INTO deliveries (received_at, app_id, length, flags, body, trace_parent) VALUES (?1, ?2, ?3, ?4, ?5, ?6);";

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    public InboxInsert(SqliteConnection connection)
    {
        _connection = connection;
        var rc = raw.sqlite3_prepare_v3(connection.Handle, Sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>Inserts one delivery and returns its id.</summary>
    /// <exception cref="SqliteException">SQLite refused or could not write the row.</exception>
    public long Execute(InboundDelivery delivery)
    {
        var db = _connection.Handle!;
        try
        {
            Check(raw.sqlite3_bind_int64(_statement, 1, delivery.ReceivedAt.ToUnixTimeMilliseconds()), db);
            Check(raw.sqlite3_bind_text(_statement, 2, delivery.AppId), db);
            Check(raw.sqlite3_bind_int(_statement, 3, delivery.Body.Length), db);
            Check(raw.sqlite3_bind_int(_statement, 4, (int)delivery.Flags), db);
            // An empty body is bound as a zero-length blob: a blob bound from no bytes at all would be NULL.
            Check(delivery.Body.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, 5, 0) : raw.sqlite3_bind_blob(_statement, 5, delivery.Body.Span), db);
            Check(delivery.TraceParent is { } traceParent ? raw.sqlite3_bind_text(_statement, 6, traceParent) : raw.sqlite3_bind_null(_statement, 6), db);
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            // Cheaper than RETURNING, which would make the statement yield a row per insert.
            return raw.sqlite3_last_insert_rowid(db);
        }
        finally
        {
            // Ready for the next delivery, and no longer holding the previous one's values or an open read of the table.
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
