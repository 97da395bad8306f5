using System.Text;
using Microsoft.AspNetCore.Http;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Dashboard.Views;
using WabaHooks.Hosting.Admin;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using AdminRow = WabaHooks.Hosting.Admin.EventRow;
using EventRow = WabaHooks.Dashboard.Views.EventRow;

namespace WabaHooks.Dashboard.Queries;

/// <summary>
/// Turns what the admin query layer (<see cref="WabaHooksQueries"/>) answers into the rows the pages show. Filters
/// are read by the admin API's own reader (<see cref="AdminFilters"/>) and applied by the store: the pages never
/// filter, page or query a store on their own.
/// </summary>
internal sealed class DashboardQueries(WabaHooksQueries queries)
{
    public const int PageSize = 50;

    public async Task<EventListView> ListEventsAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        var filter = EventListFilter.From(query);
        var errors = new List<string>();
        var eventQuery = AdminFilters.FromQuery(query, errors) with { Limit = PageSize };
        if (errors.Count > 0)
        {
            return new EventListView(filter, [], null, string.Join(" ", errors));
        }

        var page = await queries.ListEventsAsync(eventQuery, cancellationToken).ConfigureAwait(false);
        return new EventListView(filter, [.. page.Items.Select(Row)], page.Next);
    }

    /// <summary>The rows stored after <paramref name="after"/> that the list's filter selects, newest first.</summary>
    public async Task<IReadOnlyList<EventRow>> FollowEventsAsync(IQueryCollection query, long after, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var eventQuery = AdminFilters.FromQuery(query, errors);
        if (errors.Count > 0)
        {
            return [];
        }

        var rows = await queries.FollowEventsAsync(eventQuery with { BeforeSequence = null }, after, PageSize, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(Row).Reverse()];
    }

    public async Task<EventDetailView?> GetEventAsync(string id, CancellationToken cancellationToken)
    {
        var detail = await queries.GetEventAsync(id, cancellationToken).ConfigureAwait(false);
        if (detail is null)
        {
            return null;
        }

        // Oldest first as stored; not by number, which a retry starts again at 1.
        var attempts = detail.Attempts.ToLookup(a => a.Sink, StringComparer.Ordinal);
        var sinks = detail.Sinks
            .Select(w => new SinkDetail(w.Sink, OutcomeOf(w), w.State == SinkWorkState.Pending ? w.NextAttemptAt : null, w.LastError,
                [.. attempts[w.Sink].Select(Attempt)]))
            .ToList();
        return new EventDetailView(Row(new AdminRow(detail.Event, detail.Sinks)), detail.Event.OccurredAt, Encoding.UTF8.GetString(detail.Event.RawJson.Span),
            detail.Delivery is null ? null : Info(detail.Delivery, null), sinks);
    }

    public async Task<DeliveryDetailView?> GetDeliveryAsync(long id, CancellationToken cancellationToken)
    {
        var detail = await queries.GetDeliveryAsync(id, cancellationToken).ConfigureAwait(false);
        return detail is null
            ? null
            : new DeliveryDetailView(Info(detail.Delivery.Summary, detail.Outcome), Encoding.UTF8.GetString(detail.Delivery.Body.Span), [.. detail.Events.Select(Row)]);
    }

    public async Task<ReadOnlyMemory<byte>?> GetDeliveryBodyAsync(long id, CancellationToken cancellationToken) =>
        (await queries.GetDeliveryAsync(id, cancellationToken).ConfigureAwait(false))?.Delivery.Body;

    public async Task<(IReadOnlyList<DeliveryInfo> Rows, string? Next)> ListDeliveriesAsync(string? cursor, CancellationToken cancellationToken)
    {
        var page = await queries.ListDeliveriesAsync(PageSize, cursor, cancellationToken).ConfigureAwait(false);
        return ([.. page.Items.Select(d => Info(d.Summary, d.Outcome))], page.Next);
    }

    public async Task<MessageView> GetMessageAsync(string? wamid, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(wamid))
        {
            return new MessageView(null, null, null, [], null);
        }

        wamid = wamid.Trim();
        var history = await queries.GetMessageStatusAsync(wamid, cancellationToken).ConfigureAwait(false);
        var inbound = await queries.GetEventAsync("msg:" + wamid, cancellationToken).ConfigureAwait(false);
        var steps = new List<StatusStep>();
        foreach (var t in history?.Timeline ?? [])
        {
            var status = t.Status == "failed" ? await queries.GetEventAsync(t.EventId, cancellationToken).ConfigureAwait(false) : null;
            steps.Add(new StatusStep(t.EventId, t.Status, t.Timestamp, t.Applied, status is null ? [] : StatusErrors.Read(status.Event.RawJson)));
        }

        return new MessageView(wamid, history?.Current, history?.RecipientId, steps, inbound?.Event.Id);
    }

    public Task<IReadOnlyList<DestinationSummary>> ListDestinationsAsync(TimeSpan window, CancellationToken cancellationToken) =>
        queries.ListDestinationsAsync(window, cancellationToken);

    /// <summary>The newest dead letters, as many as a page holds: what the failures page groups.</summary>
    public Task<Page<StoredDeadLetter>> ListDeadLettersAsync(CancellationToken cancellationToken) =>
        queries.ListDeadLettersAsync(null, WabaHooksQueries.MaxPageSize, null, cancellationToken);

    public Task<Page<AuditEntry>> ListAuditAsync(string? cursor, CancellationToken cancellationToken) =>
        queries.ListAuditAsync(PageSize, cursor, cancellationToken);

    internal static Outcome OutcomeOf(SinkWorkItem item) => item.State switch
    {
        SinkWorkState.Done => Outcome.Delivered,
        SinkWorkState.Dead => Outcome.Dead,
        _ when item.Attempts > 0 => Outcome.Failing,
        _ => Outcome.Pending,
    };

    private static EventRow Row(AdminRow row)
    {
        var e = row.Event;
        var sinks = row.Sinks.Select(w => new SinkBadge(w.Sink, OutcomeOf(w), null, w.State == SinkWorkState.Pending ? w.NextAttemptAt : null)).ToList();
        return new EventRow(e.Sequence, e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.StoredAt, e.DeliveryId, e.IsTest, sinks);
    }

    private static AttemptRow Attempt(SinkAttempt a) => new(a.Number, a.StartedAt, a.Duration, a.Succeeded, a.StatusCode, a.Error, a.ResponseHead);

    private static DeliveryInfo Info(DeliverySummary summary, DeliveryOutcome? outcome) =>
        new(summary.Id, summary.ReceivedAt, summary.AppId, summary.Length, Flags(summary.Flags), outcome?.ParseError, outcome?.Events, outcome?.Duplicates);

    private static string Flags(DeliveryFlags flags) => flags == DeliveryFlags.None ? "" : flags.ToString().ToLowerInvariant();
}
