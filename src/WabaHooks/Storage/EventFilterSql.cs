using System.Globalization;
using System.Text;

namespace WabaHooks.Storage;

/// <summary>
/// The WHERE clause of an <see cref="EventQuery"/> over the <c>events</c> table of WabaHooks' SQL schema, with its
/// parameters: one definition of every filter, shared by listing and counting in every SQL store, which differ only in
/// how they name a parameter, store a boolean and find bytes inside bytes (<see cref="SqlDialect"/>).
/// </summary>
public static class EventFilterSql
{
    /// <summary>Builds the condition for <paramref name="query"/>.</summary>
    /// <param name="query">The filters.</param>
    /// <param name="dialect">How the store's SQL writes what differs.</param>
    /// <returns>The condition, and its parameters by name without the prefix.</returns>
    public static (string Where, IReadOnlyList<KeyValuePair<string, object>> Parameters) Build(EventQuery query, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(dialect);
        var p = dialect.ParameterPrefix;
        var sql = new StringBuilder($"seq < {p}before");
        var parameters = new List<KeyValuePair<string, object>> { new("before", query.BeforeSequence ?? long.MaxValue) };
        void Add(string name, object value)
        {
            if (!parameters.Exists(existing => existing.Key == name))
            {
                parameters.Add(new(name, value));
            }
        }

        void Equal(string? value, string column)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(column).Append(" = ").Append(p).Append(column);
                Add(column, value);
            }
        }

        if (query.EventIds is { } ids)
        {
            if (ids.Count == 0)
            {
                sql.Append(" AND 1 = 0");
            }
            else
            {
                sql.Append(" AND id IN (");
                for (var i = 0; i < ids.Count; i++)
                {
                    var name = "event_id_" + i.ToString(CultureInfo.InvariantCulture);
                    sql.Append(i == 0 ? "" : ", ").Append(p).Append(name);
                    Add(name, ids[i]);
                }

                sql.Append(')');
            }
        }

        if (query.AfterSequence is { } after)
        {
            sql.Append($" AND seq > {p}after");
            Add("after", after);
        }

        Equal(query.Field, "field");
        if (query.Type is { } type && type.EndsWith(".*", StringComparison.Ordinal))
        {
            // substr, not LIKE: a type name may hold '_' or '%', which LIKE would read as wildcards.
            var prefix = type[..^1];
            sql.Append($" AND substr(type, 1, {p}type_length) = {p}type_prefix");
            Add("type_length", prefix.Length);
            Add("type_prefix", prefix);
        }
        else
        {
            Equal(query.Type, "type");
        }

        Equal(query.WabaId, "waba_id");
        Equal(query.PhoneNumberId, "phone_number_id");
        if (query.Test is { } test)
        {
            sql.Append($" AND test = {p}test");
            Add("test", dialect.BooleansAsIntegers ? (test ? 1 : 0) : test);
        }

        if (query.Since is { } since)
        {
            sql.Append($" AND stored_at >= {p}since");
            Add("since", since.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } until)
        {
            sql.Append($" AND stored_at < {p}until");
            Add("until", until.ToUnixTimeMilliseconds());
        }

        // Sink conditions look up the event's pairs by the (event_id, sink) primary key and its attempts by
        // sink_attempts_by_event: a few index seeks per candidate event, never a scan of the sink tables.
        if (query.Destination is not null || query.Outcome is not null)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = events.id");
            if (query.Destination is { } destination)
            {
                sql.Append($" AND w.sink = {p}sink");
                Add("sink", destination);
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
            sql.Append($" AND EXISTS (SELECT 1 FROM sink_attempts a WHERE a.event_id = events.id AND a.status_code = {p}status");
            if (query.Destination is { } destination)
            {
                sql.Append($" AND a.sink = {p}sink");
                Add("sink", destination);
            }

            sql.Append(')');
            Add("status", status);
        }

        if (query.Unrouted is { } unrouted)
        {
            sql.Append(unrouted ? " AND NOT" : " AND").Append(" EXISTS (SELECT 1 FROM sink_work w WHERE w.event_id = events.id)");
        }

        if (!string.IsNullOrEmpty(query.Search) && query.Search is var search)
        {
            // Over the stored bytes: the phrase is compared byte for byte with the JSON as Meta sent it.
            sql.Append($" AND (id = {p}search OR ").Append(dialect.ContainsBytes("raw_json", $"{p}search_bytes"));
            Add("search", search);
            Add("search_bytes", Encoding.UTF8.GetBytes(search));
            if (long.TryParse(search, NumberStyles.None, CultureInfo.InvariantCulture, out var deliveryId))
            {
                sql.Append($" OR delivery_id = {p}search_delivery");
                Add("search_delivery", deliveryId);
            }

            sql.Append(')');
        }

        return (sql.ToString(), parameters);
    }
}

/// <summary>What differs between the SQL of two stores, for <see cref="EventFilterSql"/>.</summary>
/// <param name="ParameterPrefix">How a named parameter starts: <c>$</c> (SQLite) or <c>@</c> (PostgreSQL).</param>
/// <param name="BooleansAsIntegers">Whether a boolean column holds 0 and 1 (SQLite) rather than a boolean.</param>
/// <param name="ContainsBytes">
/// The condition that a bytes column (first argument) contains a bytes parameter (second argument), e.g.
/// <c>instr(raw_json, $p) &gt; 0</c> or <c>position(@p in raw_json) &gt; 0</c>.
/// </param>
public sealed record SqlDialect(char ParameterPrefix, bool BooleansAsIntegers, Func<string, string, string> ContainsBytes);
