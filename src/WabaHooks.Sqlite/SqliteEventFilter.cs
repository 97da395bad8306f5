using System.Globalization;
using System.Text;
using WabaHooks.Storage;

namespace WabaHooks.Sqlite;

/// <summary>The WHERE clause of an <see cref="EventQuery"/> over <c>events</c>: one place for every filter, shared by listing and counting.</summary>
internal static class SqliteEventFilter
{
    public static (string Where, List<(string, object?)> Parameters) Where(EventQuery query)
    {
        var sql = new StringBuilder("seq < $before");
        var parameters = new List<(string, object?)> { ("$before", query.BeforeSequence ?? long.MaxValue) };
        void Equal(string? value, string column)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(column).Append(" = $").Append(column);
                parameters.Add(("$" + column, value));
            }
        }

        if (query.AfterSequence is { } after)
        {
            sql.Append(" AND seq > $after");
            parameters.Add(("$after", after));
        }

        Equal(query.Field, "field");
        if (query.Type is { } type && type.EndsWith(".*", StringComparison.Ordinal))
        {
            // substr, not LIKE: a type name may hold '_' or '%', which LIKE would read as wildcards.
            var prefix = type[..^1];
            sql.Append(" AND substr(type, 1, $type_length) = $type_prefix");
            parameters.Add(("$type_length", prefix.Length));
            parameters.Add(("$type_prefix", prefix));
        }
        else
        {
            Equal(query.Type, "type");
        }

        Equal(query.WabaId, "waba_id");
        Equal(query.PhoneNumberId, "phone_number_id");
        if (query.Test is { } test)
        {
            sql.Append(" AND test = $test");
            parameters.Add(("$test", test ? 1 : 0));
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND stored_at >= $since");
            parameters.Add(("$since", since.ToUnixTimeMilliseconds()));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND stored_at < $until");
            parameters.Add(("$until", until.ToUnixTimeMilliseconds()));
        }

        // Sink conditions look up the event's pairs by the (event_id, sink) primary key and its attempts by
        // sink_attempts_by_event: a few index seeks per candidate event, never a scan of the sink tables.
        if (query.Destination is not null || query.Outcome is not null)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = events.id");
            if (query.Destination is not null)
            {
                sql.Append(" AND w.sink = $sink");
                parameters.Add(("$sink", query.Destination));
            }

            sql.Append(query.Outcome switch
            {
                EventOutcome.Delivered => " AND w.state = 1",
                EventOutcome.Pending => " AND w.state = 0",
                EventOutcome.Failed => " AND (w.state = 2 OR (w.state = 0 AND w.attempts > 0))",
                EventOutcome.Dead => " AND w.state = 2",
                _ => "",
            });
            sql.Append(')');
        }

        if (query.HttpStatus is { } status)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM sink_attempts a WHERE a.event_id = events.id AND a.status_code = $status");
            if (query.Destination is not null)
            {
                sql.Append(" AND a.sink = $sink");
                if (!parameters.Exists(p => p.Item1 == "$sink"))
                {
                    parameters.Add(("$sink", query.Destination));
                }
            }

            sql.Append(')');
            parameters.Add(("$status", status));
        }

        if (query.Unrouted is { } unrouted)
        {
            sql.Append(unrouted ? " AND NOT" : " AND").Append(" EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = events.id)");
        }

        if (!string.IsNullOrEmpty(query.Search))
        {
            // instr over the stored bytes: the phrase is compared byte for byte with the JSON as Meta sent it.
            sql.Append(" AND (id = $search OR instr(raw_json, $search_bytes) > 0");
            parameters.Add(("$search", query.Search));
            parameters.Add(("$search_bytes", Encoding.UTF8.GetBytes(query.Search)));
            if (long.TryParse(query.Search, NumberStyles.None, CultureInfo.InvariantCulture, out var deliveryId))
            {
                sql.Append(" OR delivery_id = $search_delivery");
                parameters.Add(("$search_delivery", deliveryId));
            }

            sql.Append(')');
        }

        return (sql.ToString(), parameters);
    }
}
