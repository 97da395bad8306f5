using System.Globalization;
using System.Text;
using Npgsql;
using WabaHooks.Storage;

namespace WabaHooks.Postgres;

/// <summary>The WHERE clause of an <see cref="EventQuery"/> over <c>events</c>: one place for every filter, shared by listing and counting.</summary>
internal static class PostgresEventFilter
{
    public static (string Where, Action<NpgsqlCommand> Parameters) Where(EventQuery query)
    {
        var sql = new StringBuilder("seq < @before");
        var parameters = new List<Action<NpgsqlCommand>> { c => c.Long("before", query.BeforeSequence ?? long.MaxValue) };
        void Equal(string? value, string column)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(column).Append(" = @").Append(column);
                parameters.Add(c => c.Text(column, value));
            }
        }

        if (query.AfterSequence is { } after)
        {
            sql.Append(" AND seq > @after");
            parameters.Add(c => c.Long("after", after));
        }

        Equal(query.Field, "field");
        if (query.Type is { } type && type.EndsWith(".*", StringComparison.Ordinal))
        {
            // substr, not LIKE: a type name may hold '_' or '%', which LIKE would read as wildcards.
            var prefix = type[..^1];
            sql.Append(" AND substr(type, 1, @type_length) = @type_prefix");
            parameters.Add(c => c.Int("type_length", prefix.Length).Text("type_prefix", prefix));
        }
        else
        {
            Equal(query.Type, "type");
        }

        Equal(query.WabaId, "waba_id");
        Equal(query.PhoneNumberId, "phone_number_id");
        if (query.Test is { } test)
        {
            sql.Append(" AND test = @test");
            parameters.Add(c => c.Bool("test", test));
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND stored_at >= @since");
            parameters.Add(c => c.Long("since", since.ToUnixTimeMilliseconds()));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND stored_at < @until");
            parameters.Add(c => c.Long("until", until.ToUnixTimeMilliseconds()));
        }

        if (query.Destination is { } destination)
        {
            parameters.Add(c => c.Text("sink", destination));
        }

        // Sink conditions look up the event's pairs by the (event_id, sink) primary key and its attempts by
        // sink_attempts_by_event: a few index seeks per candidate event, never a scan of the sink tables.
        if (query.Destination is not null || query.Outcome is not null)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = events.id");
            if (query.Destination is not null)
            {
                sql.Append(" AND w.sink = @sink");
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
            sql.Append(" AND EXISTS (SELECT 1 FROM sink_attempts a WHERE a.event_id = events.id AND a.status_code = @status");
            if (query.Destination is not null)
            {
                sql.Append(" AND a.sink = @sink");
            }

            sql.Append(')');
            parameters.Add(c => c.Int("status", status));
        }

        if (query.Unrouted is { } unrouted)
        {
            sql.Append(unrouted ? " AND NOT" : " AND").Append(" EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = events.id)");
        }

        if (!string.IsNullOrEmpty(query.Search) && query.Search is var search)
        {
            // position over the stored bytes: the phrase is compared byte for byte with the JSON as Meta sent it.
            sql.Append(" AND (id = @search OR position(@search_bytes in raw_json) > 0");
            parameters.Add(c => c.Text("search", search).Bytes("search_bytes", Encoding.UTF8.GetBytes(search)));
            if (long.TryParse(search, NumberStyles.None, CultureInfo.InvariantCulture, out var deliveryId))
            {
                sql.Append(" OR delivery_id = @search_delivery");
                parameters.Add(c => c.Long("search_delivery", deliveryId));
            }

            sql.Append(')');
        }

        return (sql.ToString(), c => parameters.ForEach(p => p(c)));
    }
}
