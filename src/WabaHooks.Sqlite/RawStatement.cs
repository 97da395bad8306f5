using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace WabaHooks.Sqlite;

/// <summary>
/// One prepared statement driven through SQLite's own API: values bound by position, text from the string's characters
/// and blobs from a span. The processor runs several statements per event; through <see cref="SqliteCommand"/> each run
/// also looks every parameter up by name, converts every text to a UTF-8 array, and opens a data reader, which cost
/// more than SQLite's own work for most of them.
/// </summary>
/// <remarks>
/// Runs inside whatever transaction the connection has open. Errors surface as <see cref="SqliteException"/> with
/// SQLite's code, exactly as from a command, so the store tells refused data from an unavailable store as before.
/// </remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
    }

    public void Text(int index, string? value)
    {
        // A span of no characters has no address, which SQLite reads as NULL: bind the empty text as text.
        Check(value is null ? raw.sqlite3_bind_null(_statement, index)
            : value.Length == 0 ? raw.sqlite3_bind_text(_statement, index, "")
            : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));
    }

    public void Int64(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Int64(int index, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Null(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    /// <summary>Binds a copy of <paramref name="value"/> (SQLite copies it); an empty span is an empty blob, not NULL.</summary>
    public void Blob(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Runs a statement that returns no rows; the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                Throw(rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs an INSERT; the id (rowid) of the row it added.</summary>
    public long Insert()
    {
        Execute();
        // Cheaper than RETURNING, which would make the statement yield a row per insert; reset leaves it as it is.
        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>Runs a query; whether it returned a row.</summary>
    public bool Exists()
    {
        try
        {
            return Step();
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>
    /// Runs a query and hands the first column of its first row to <paramref name="read"/> as UTF-8, without a string;
    /// <paramref name="absent"/> when there is no row.
    /// </summary>
    public T ReadFirst<T>(Utf8Reader<T> read, T absent)
    {
        try
        {
            return Step() ? read(raw.sqlite3_column_blob(_statement, 0)) : absent;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc is not raw.SQLITE_ROW and not raw.SQLITE_DONE)
        {
            Throw(rc);
        }

        return rc == raw.SQLITE_ROW;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            Throw(rc);
        }
    }

    private void Throw(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);
}

/// <summary>Reads a value from its UTF-8 bytes.</summary>
internal delegate T Utf8Reader<out T>(ReadOnlySpan<byte> utf8);
