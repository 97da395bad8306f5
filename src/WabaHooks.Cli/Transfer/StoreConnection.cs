using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace WabaHooks.Cli.Transfer;

/// <summary>
/// A plain ADO.NET connection to either store's database, for moving rows as they are: both stores name their tables
/// and columns the same, and differ only in how a row is inserted with its own key.
/// </summary>
internal sealed class StoreConnection : IAsyncDisposable
{
    private StoreConnection(DbConnection connection, bool postgres)
    {
        Connection = connection;
        IsPostgres = postgres;
    }

    public DbConnection Connection { get; }

    public bool IsPostgres { get; }

    public static async Task<StoreConnection> OpenSqliteAsync(string databasePath, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return new StoreConnection(connection, postgres: false);
    }

    public static async Task<StoreConnection> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return new StoreConnection(connection, postgres: true);
    }

    /// <summary>
    /// Reads every row of <paramref name="table"/> in key order, within <paramref name="since"/>..<paramref name="until"/>
    /// of its time column when given. Values come out as the stores agree on them: long, double, string, byte[], bool.
    /// </summary>
    public async IAsyncEnumerable<object?[]> ReadAsync(StoreTable table, DbTransaction? transaction, DateTimeOffset? since, DateTimeOffset? until,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.Transaction = transaction;
        var where = new List<string>();
        if (table.TimeColumn is { } time)
        {
            if (since is { } s)
            {
                where.Add($"{time} >= @since");
                AddParameter(command, "since", s.ToUnixTimeMilliseconds());
            }

            if (until is { } u)
            {
                where.Add($"{time} < @until");
                AddParameter(command, "until", u.ToUnixTimeMilliseconds());
            }
        }

        command.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(c => c.Name))} FROM {table.Name}"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + $" ORDER BY {table.Order};";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[table.Columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : table.Columns[i].Kind switch
                {
                    ColumnKind.Bytes => (byte[])reader.GetValue(i),
                    ColumnKind.Boolean => Convert.ToBoolean(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture),
                    _ => Normalise(reader.GetValue(i)),
                };
            }

            yield return row;
        }
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> with their own keys in one transaction; a row whose key (or idempotency key) is
    /// there already is left as it is, so importing the same rows twice adds nothing. Returns how many were added.
    /// </summary>
    public async Task<int> InsertAsync(StoreTable table, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        var values = string.Join(", ", table.Columns.Select((_, i) => "@p" + i));
        var sql = IsPostgres
            ? $"INSERT INTO {table.Name} ({columns}) {(table.Identity is null ? "" : "OVERRIDING SYSTEM VALUE ")}VALUES ({values}) ON CONFLICT DO NOTHING;"
            : $"INSERT OR IGNORE INTO {table.Name} ({columns}) VALUES ({values});";
        await using var transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var integers = table.Columns.Select(c => IsPostgres && PostgresType(table, c.Name, c.Kind) == NpgsqlTypes.NpgsqlDbType.Integer).ToArray();
        var parameters = table.Columns.Select((c, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = "p" + i;
            if (IsPostgres)
            {
                // Typed, so a NULL has a type PostgreSQL accepts for the column.
                ((NpgsqlParameter)p).NpgsqlDbType = PostgresType(table, c.Name, c.Kind);
            }

            command.Parameters.Add(p);
            return p;
        }).ToArray();
        var added = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] is { } value ? (integers[i] ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : value) : DBNull.Value;
            }

            added += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>
    /// Leaves every delivery waiting for the processor exactly when it has no outcome. A copied delivery with an outcome
    /// leaves the queue (PostgreSQL's trigger queued every delivery inserted); one with neither joins it: rows from an
    /// export written before outcomes had a table of their own, or from an export of a time range, which holds
    /// deliveries and events only. Processing those again is safe: their events are already there and are dropped as
    /// duplicates.
    /// </summary>
    public async Task SettlePendingAsync(CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText =
            """
            DELETE FROM delivery_pending WHERE EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = delivery_pending.id);
            INSERT INTO delivery_pending (id) SELECT d.id FROM deliveries d
            WHERE NOT EXISTS (SELECT 1 FROM delivery_outcomes o WHERE o.delivery_id = d.id) AND NOT EXISTS (SELECT 1 FROM delivery_pending p WHERE p.id = d.id);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves PostgreSQL's generated keys past the rows copied with their own, so the next one is new. SQLite does it by itself.</summary>
    public async Task AdvanceIdentitiesAsync(CancellationToken cancellationToken)
    {
        if (!IsPostgres)
        {
            return;
        }

        foreach (var table in StoreTables.All.Where(t => t.Identity is not null))
        {
            await using var command = Connection.CreateCommand();
            command.CommandText =
                $"SELECT setval(pg_get_serial_sequence('{table.Name}', '{table.Identity}'), GREATEST((SELECT max({table.Identity}) FROM {table.Name}), 1), (SELECT max({table.Identity}) FROM {table.Name}) IS NOT NULL);";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static object Normalise(object value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        float f => (double)f,
        _ => value,
    };

    private static NpgsqlTypes.NpgsqlDbType PostgresType(StoreTable table, string column, ColumnKind kind) => kind switch
    {
        ColumnKind.Bytes => NpgsqlTypes.NpgsqlDbType.Bytea,
        ColumnKind.Boolean => NpgsqlTypes.NpgsqlDbType.Boolean,
        _ when column is "duration_ms" => NpgsqlTypes.NpgsqlDbType.Double,
        _ when IntegerColumns.Contains((table.Name, column)) => NpgsqlTypes.NpgsqlDbType.Integer,
        _ when TextColumns.Contains(column) && !(column == "id" && table.Name is "deliveries" or "delivery_pending") => NpgsqlTypes.NpgsqlDbType.Text,
        _ => NpgsqlTypes.NpgsqlDbType.Bigint,
    };

    private static readonly HashSet<(string, string)> IntegerColumns =
    [
        ("deliveries", "length"), ("deliveries", "flags"), ("delivery_outcomes", "event_count"), ("delivery_outcomes", "duplicate_count"),
        ("events", "position"), ("sink_work", "state"), ("sink_work", "attempts"), ("sink_attempts", "number"), ("sink_attempts", "status_code"),
    ];

    private static readonly HashSet<string> TextColumns =
    [
        "app_id", "parse_error", "trace_parent", "id", "type", "field", "waba_id", "phone_number_id", "wamid", "status", "recipient_id",
        "event_id", "sink", "last_error", "error", "response_head",
    ];
}
