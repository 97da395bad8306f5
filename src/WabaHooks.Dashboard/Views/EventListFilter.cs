using Microsoft.AspNetCore.Http;

namespace WabaHooks.Dashboard.Views;

/// <summary>
/// The filters of an event list exactly as they stand in the query string, under the admin API's own names, so a
/// filtered page is a link to paste into a chat and the same query string works on <c>api/events</c>. The admin
/// query layer interprets them (one implementation of filters); the page only keeps what was typed.
/// </summary>
public sealed record EventListFilter
{
    /// <summary>The query-string keys, in the order links are written.</summary>
    public static readonly IReadOnlyList<string> Keys = ["q", "field", "type", "waba", "phone", "destination", "outcome", "status", "since", "until", "test", "unrouted"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>The value given for <paramref name="key"/>, or <see langword="null"/>.</summary>
    public string? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>Search box: an event id, a delivery id, or a phrase in the payload (a wamid, a phone number, a word).</summary>
    public string? Q => this["q"];

    /// <summary>The change's field.</summary>
    public string? Field => this["field"];

    /// <summary>A type name, or a prefix ending in <c>.*</c>.</summary>
    public string? Type => this["type"];

    /// <summary>delivered, pending, failed or dead.</summary>
    public string? Outcome => this["outcome"];

    /// <summary><c>true</c> for test events only, <c>false</c> for real ones only.</summary>
    public string? Test => this["test"];

    /// <summary>The page cursor: rows older than this position.</summary>
    public string? Cursor { get; init; }

    /// <summary>Reads the filters from a query string.</summary>
    public static EventListFilter From(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new EventListFilter { Cursor = Value(query, "cursor") };
        foreach (var key in Keys)
        {
            if (Value(query, key) is { } value)
            {
                filter._values[key] = value;
            }
        }

        return filter;
    }

    /// <summary>A filter with one value set (or removed, with <see langword="null"/>).</summary>
    public EventListFilter With(string key, string? value)
    {
        var copy = new EventListFilter { Cursor = Cursor };
        foreach (var (k, v) in _values)
        {
            copy._values[k] = v;
        }

        if (value is null)
        {
            copy._values.Remove(key);
        }
        else
        {
            copy._values[key] = value;
        }

        return copy;
    }

    /// <summary>Whether any filter other than the cursor is set.</summary>
    public bool Any => _values.Count > 0;

    /// <summary>The filters as query pairs, in a stable order, optionally with the cursor.</summary>
    public (string Name, string? Value)[] Query(bool withCursor = false) =>
        [.. Keys.Select(k => (k, this[k])), ("cursor", withCursor ? Cursor : null)];

    private static string? Value(IQueryCollection query, string name)
    {
        var value = query[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }
}
