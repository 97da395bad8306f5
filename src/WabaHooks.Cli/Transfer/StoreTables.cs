namespace WabaHooks.Cli.Transfer;

/// <summary>What a column holds, where the two stores spell it differently (SQLite keeps booleans as 0/1).</summary>
internal enum ColumnKind
{
    Value,
    Bytes,
    Boolean,
}

/// <summary>One table of the store as export, import and copy-store move it: the same names in SQLite and PostgreSQL.</summary>
/// <param name="Name">The table.</param>
/// <param name="Columns">Every column, in order, with its kind.</param>
/// <param name="Order">The column rows are read in order of: the key.</param>
/// <param name="Identity">The column PostgreSQL generates (kept as it was, then its sequence moved past it), if any.</param>
/// <param name="TimeColumn">The unix-millisecond column <c>--since</c>/<c>--until</c> select on, for the tables export selects by time.</param>
internal sealed record StoreTable(string Name, (string Name, ColumnKind Kind)[] Columns, string Order, string? Identity = null, string? TimeColumn = null)
{
    public int IndexOf(string column) => Array.FindIndex(Columns, c => c.Name == column);
}

/// <summary>
/// The store's tables in the order a copy writes them (deliveries before the events that point at them, events before
/// their work). Ids, idempotency keys, the status view, pending work with its schedule, dead letters and kept dedupe
/// keys all move as they are, so dedupe and retries continue where they were.
/// </summary>
internal static class StoreTables
{
    private const ColumnKind V = ColumnKind.Value;

    public static readonly StoreTable Deliveries = new("deliveries",
        [("id", V), ("received_at", V), ("app_id", V), ("length", V), ("flags", V), ("body", ColumnKind.Bytes), ("trace_parent", V)],
        "id", Identity: "id", TimeColumn: "received_at");

    public static readonly StoreTable Events = new("events",
        [("seq", V), ("id", V), ("type", V), ("field", V), ("waba_id", V), ("phone_number_id", V), ("occurred_at", V), ("delivery_id", V),
         ("position", V), ("stored_at", V), ("raw_json", ColumnKind.Bytes), ("test", ColumnKind.Boolean), ("locator", ColumnKind.Bytes)],
        "seq", Identity: "seq", TimeColumn: "stored_at");

    public static readonly IReadOnlyList<StoreTable> All =
    [
        Deliveries,
        new("delivery_pending", [("id", V)], "id"),
        new("delivery_outcomes", [("delivery_id", V), ("processed_at", V), ("event_count", V), ("duplicate_count", V), ("parse_error", V)], "delivery_id"),
        Events,
        new("message_status", [("wamid", V), ("status", V), ("recipient_id", V), ("updated_at", V), ("event_id", V)], "wamid"),
        new("message_status_timeline",
            [("seq", V), ("event_id", V), ("wamid", V), ("status", V), ("timestamp", V), ("recipient_id", V), ("delivery_id", V), ("applied", ColumnKind.Boolean)],
            "seq", Identity: "seq"),
        new("sink_work",
            [("event_id", V), ("sink", V), ("event_seq", V), ("delivery_id", V), ("state", V), ("attempts", V), ("next_attempt_at", V),
             ("lease_until", V), ("last_error", V), ("updated_at", V), ("scheduled_at", V)],
            "event_id, sink"),
        new("sink_attempts",
            [("seq", V), ("event_id", V), ("sink", V), ("number", V), ("started_at", V), ("duration_ms", V), ("succeeded", ColumnKind.Boolean),
             ("status_code", V), ("error", V), ("response_head", V)],
            "seq", Identity: "seq"),
        new("dedupe_keys", [("id", V), ("stored_at", V)], "id"),
    ];

    public static StoreTable? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
