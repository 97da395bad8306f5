using Microsoft.AspNetCore.Http;

namespace WabaHooks.Dashboard.Views;

/// <summary>
/// The filters of the event list exactly as they stand in the query string, so a filtered view is a link that can be
/// pasted into a chat. Values are kept as typed; the query layer interprets them (one implementation of filters).
/// </summary>
public sealed record EventListFilter
{
    /// <summary>Search box: an event id, wamid, delivery id or a phrase in the payload.</summary>
    public string? Q { get; init; }

    /// <summary>The change's field.</summary>
    public string? Field { get; init; }

    /// <summary>A type name, or a prefix ending in <c>.*</c>.</summary>
    public string? Type { get; init; }

    /// <summary>WABA id.</summary>
    public string? Waba { get; init; }

    /// <summary>Phone number id.</summary>
    public string? Phone { get; init; }

    /// <summary>Destination name.</summary>
    public string? Destination { get; init; }

    /// <summary>delivered, pending, failed or dead.</summary>
    public string? Outcome { get; init; }

    /// <summary>An HTTP status code of the last attempt.</summary>
    public string? Status { get; init; }

    /// <summary>Since (a duration such as <c>2h</c> or an ISO time).</summary>
    public string? Since { get; init; }

    /// <summary>Until (an ISO time).</summary>
    public string? Until { get; init; }

    /// <summary><c>only</c>, <c>hide</c>, or empty for both.</summary>
    public string? Test { get; init; }

    /// <summary>The page cursor: rows older than this.</summary>
    public string? Before { get; init; }

    /// <summary>Reads the filters from a query string.</summary>
    public static EventListFilter From(IQueryCollection query) => new()
    {
        Q = Value(query, "q"),
        Field = Value(query, "field"),
        Type = Value(query, "type"),
        Waba = Value(query, "waba"),
        Phone = Value(query, "phone"),
        Destination = Value(query, "destination"),
        Outcome = Value(query, "outcome"),
        Status = Value(query, "status"),
        Since = Value(query, "since"),
        Until = Value(query, "until"),
        Test = Value(query, "test"),
        Before = Value(query, "before"),
    };

    /// <summary>Whether any filter other than the cursor is set.</summary>
    public bool Any => Query(withCursor: false).Any(p => !string.IsNullOrEmpty(p.Value));

    /// <summary>The filters as query pairs, in a stable order, optionally without the cursor.</summary>
    public (string Name, string? Value)[] Query(bool withCursor = true) =>
    [
        ("q", Q), ("field", Field), ("type", Type), ("waba", Waba), ("phone", Phone), ("destination", Destination),
        ("outcome", Outcome), ("status", Status), ("since", Since), ("until", Until), ("test", Test),
        ("before", withCursor ? Before : null),
    ];

    private static string? Value(IQueryCollection query, string name)
    {
        var value = query[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }
}
