using System.Text.Json;

namespace WabaHooks.Cli.Transfer;

/// <summary>
/// Moves rows between stores: directly (copy-store), or through JSON Lines (export, import). One line per row:
/// <c>{"table":"deliveries","row":{"id":1,"received_at":1767261601123,…,"body":"eyJvYmplY3Qi…"}}</c> — times in unix
/// milliseconds as stored, bytes (a delivery's body, an event's raw JSON) in base64, so the exact bytes Meta signed
/// come back unchanged.
/// </summary>
internal static class StoreTransfer
{
    private const int BatchSize = 500;

    /// <summary>What a transfer did, per table: rows read, and rows added (the rest were there already).</summary>
    public sealed record TableCount(string Table, long Read, long Added);

    /// <summary>Copies every table from <paramref name="source"/> to <paramref name="target"/>, reading one snapshot of the source.</summary>
    public static async Task<IReadOnlyList<TableCount>> CopyAsync(StoreConnection source, StoreConnection target, CancellationToken cancellationToken)
    {
        var counts = new List<TableCount>();
        await using var snapshot = await source.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in StoreTables.All)
        {
            long read = 0, added = 0;
            var batch = new List<object?[]>(BatchSize);
            await foreach (var row in source.ReadAsync(table, snapshot, null, null, cancellationToken).ConfigureAwait(false))
            {
                ForgetLease(table, row);
                batch.Add(row);
                read++;
                if (batch.Count == BatchSize)
                {
                    added += await target.InsertAsync(table, batch, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                added += await target.InsertAsync(table, batch, cancellationToken).ConfigureAwait(false);
            }

            counts.Add(new TableCount(table.Name, read, added));
        }

        await target.SettlePendingAsync(cancellationToken).ConfigureAwait(false);
        await target.AdvanceIdentitiesAsync(cancellationToken).ConfigureAwait(false);
        return counts;
    }

    /// <summary>
    /// Writes the store as JSON Lines. With a time range: the deliveries received and events stored in it. Without: every
    /// table, so an import rebuilds the store with its work, dead letters and dedupe keys.
    /// </summary>
    public static async Task<IReadOnlyList<TableCount>> ExportAsync(StoreConnection source, Stream output, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        var tables = since is null && until is null ? StoreTables.All : [StoreTables.Deliveries, StoreTables.Events];
        var counts = new List<TableCount>();
        await using var snapshot = await source.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        foreach (var table in tables)
        {
            long read = 0;
            await foreach (var row in source.ReadAsync(table, snapshot, since, until, cancellationToken).ConfigureAwait(false))
            {
                WriteLine(json, table, row);
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.WriteByte((byte)'\n');
                json.Reset(output);
                read++;
            }

            counts.Add(new TableCount(table.Name, read, 0));
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return counts;
    }

    /// <summary>Reads JSON Lines written by <see cref="ExportAsync"/> into <paramref name="target"/>; a row already there is skipped.</summary>
    /// <exception cref="FormatException">A line is not such a row; its line number is in the message.</exception>
    public static async Task<IReadOnlyList<TableCount>> ImportAsync(TextReader input, StoreConnection target, CancellationToken cancellationToken)
    {
        var read = new Dictionary<string, long>();
        var added = new Dictionary<string, long>();
        StoreTable? current = null;
        var batch = new List<object?[]>(BatchSize);
        async Task FlushAsync()
        {
            if (current is not null && batch.Count > 0)
            {
                added[current.Name] = added.GetValueOrDefault(current.Name) + await target.InsertAsync(current, batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        var number = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (table, row) = ParseLine(line, number);
            if (!ReferenceEquals(table, current) || batch.Count == BatchSize)
            {
                await FlushAsync().ConfigureAwait(false);
                current = table;
            }

            ForgetLease(table, row);
            batch.Add(row);
            read[table.Name] = read.GetValueOrDefault(table.Name) + 1;
        }

        await FlushAsync().ConfigureAwait(false);
        await target.SettlePendingAsync(cancellationToken).ConfigureAwait(false);
        await target.AdvanceIdentitiesAsync(cancellationToken).ConfigureAwait(false);
        return [.. StoreTables.All.Where(t => read.ContainsKey(t.Name)).Select(t => new TableCount(t.Name, read[t.Name], added.GetValueOrDefault(t.Name)))];
    }

    /// <summary>A lease belongs to a process of the old store: in the new one the work is due as scheduled.</summary>
    private static void ForgetLease(StoreTable table, object?[] row)
    {
        if (table.Name == "sink_work")
        {
            row[table.IndexOf("lease_until")] = 0L;
        }
    }

    private static void WriteLine(Utf8JsonWriter json, StoreTable table, object?[] row)
    {
        json.WriteStartObject();
        json.WriteString("table", table.Name);
        json.WriteStartObject("row");
        for (var i = 0; i < row.Length; i++)
        {
            var name = table.Columns[i].Name;
            switch (row[i])
            {
                case null: json.WriteNull(name); break;
                case byte[] bytes: json.WriteBase64String(name, bytes); break;
                case bool flag: json.WriteBoolean(name, flag); break;
                case long number: json.WriteNumber(name, number); break;
                case double real: json.WriteNumber(name, real); break;
                case string text: json.WriteString(name, text); break;
                case var other: json.WriteString(name, Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static (StoreTable Table, object?[] Row) ParseLine(string line, int number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var name = root.GetProperty("table").GetString() ?? "";
            var table = StoreTables.Find(name) ?? throw new FormatException($"line {number}: no table '{name}' in a WabaHooks store.");
            var values = root.GetProperty("row");
            var row = new object?[table.Columns.Length];
            for (var i = 0; i < row.Length; i++)
            {
                var (column, kind) = table.Columns[i];
                if (!values.TryGetProperty(column, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                row[i] = kind switch
                {
                    ColumnKind.Bytes => value.GetBytesFromBase64(),
                    ColumnKind.Boolean => value.GetBoolean(),
                    _ => value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
                        JsonValueKind.Number => value.GetDouble(),
                        _ => throw new FormatException($"line {number}: {table.Name}.{column} is {value.ValueKind}."),
                    },
                };
            }

            return (table, row);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"line {number}: not a row of a WabaHooks export ({ex.Message}).", ex);
        }
    }
}
