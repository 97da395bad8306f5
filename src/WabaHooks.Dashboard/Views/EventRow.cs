namespace WabaHooks.Dashboard.Views;

/// <summary>One row of an event list.</summary>
/// <param name="Sequence">Storage sequence: the keyset cursor and the live stream's position.</param>
/// <param name="Id">The idempotency key.</param>
/// <param name="Type">Meta's type name.</param>
/// <param name="Field">The change's field.</param>
/// <param name="WabaId">The WABA.</param>
/// <param name="PhoneNumberId">The phone number id, when there is one.</param>
/// <param name="StoredAt">When it was stored.</param>
/// <param name="DeliveryId">The delivery it came in.</param>
/// <param name="IsTest">Synthetic traffic (trigger, verify-endpoint).</param>
/// <param name="Sinks">Where it stands with each destination and handler.</param>
public sealed record EventRow(
    long Sequence,
    string Id,
    string Type,
    string Field,
    string WabaId,
    string? PhoneNumberId,
    DateTimeOffset StoredAt,
    long DeliveryId,
    bool IsTest,
    IReadOnlyList<SinkBadge> Sinks);

/// <summary>Where an event stands with one sink.</summary>
/// <param name="Sink">The sink's name (<c>destination:crm</c>, <c>handler:…</c>).</param>
/// <param name="Outcome">Its state.</param>
/// <param name="StatusCode">The last attempt's HTTP status.</param>
/// <param name="NextAttemptAt">When it is tried next, for pending and failing pairs.</param>
public sealed record SinkBadge(string Sink, Outcome Outcome, int? StatusCode, DateTimeOffset? NextAttemptAt);

/// <summary>The event list page.</summary>
/// <param name="Filter">The filters as given.</param>
/// <param name="Rows">The page of rows, newest first.</param>
/// <param name="NextCursor">The cursor of the next (older) page, when there is one.</param>
/// <param name="Error">Why the filters could not be applied, shown instead of rows.</param>
public sealed record EventListView(EventListFilter Filter, IReadOnlyList<EventRow> Rows, string? NextCursor, string? Error = null)
{
    /// <summary>Whether this is the newest page, where live rows may be inserted.</summary>
    public bool FirstPage => Filter.Cursor is null;

    /// <summary>The newest sequence shown: live rows are fetched after it.</summary>
    public long Top => Rows.Count == 0 ? 0 : Rows.Max(r => r.Sequence);
}
