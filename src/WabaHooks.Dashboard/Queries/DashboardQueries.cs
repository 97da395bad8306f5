using System.Globalization;
using WabaHooks.Dashboard.Views;
using WabaHooks.Storage;

namespace WabaHooks.Dashboard.Queries;

/// <summary>
/// Turns what the admin query layer answers into the rows the pages show. The pages never query a store on their own.
/// </summary>
internal sealed class DashboardQueries(IEventStore events, ISinkWorkStore work, IDeliveryStore deliveries)
{
    public const int PageSize = 50;

    public async Task<EventListView> ListEventsAsync(EventListFilter filter, long? after, CancellationToken cancellationToken)
    {
        long? before = long.TryParse(filter.Before, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : null;
        var query = new EventQuery
        {
            Field = filter.Field,
            Type = filter.Type,
            WabaId = filter.Waba,
            PhoneNumberId = filter.Phone,
            Test = filter.Test switch { "only" => true, "hide" => false, _ => null },
            BeforeSequence = before,
            Limit = PageSize + 1,
        };
        var stored = await events.ListEventsAsync(query, cancellationToken).ConfigureAwait(false);
        if (after is { } a)
        {
            stored = [.. stored.Where(e => e.Sequence > a)];
        }

        var page = stored.Take(PageSize).ToList();
        var rows = new List<EventRow>(page.Count);
        foreach (var e in page)
        {
            rows.Add(await RowAsync(e, cancellationToken).ConfigureAwait(false));
        }

        var next = stored.Count > PageSize && after is null ? page[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
        return new EventListView(filter, rows, next);
    }

    public async Task<EventDetailView?> GetEventAsync(string id, CancellationToken cancellationToken)
    {
        var e = await events.GetEventAsync(id, cancellationToken).ConfigureAwait(false);
        if (e is null)
        {
            return null;
        }

        var attempts = await work.ListAttemptsAsync(e.Id, null, cancellationToken).ConfigureAwait(false);
        var sinks = attempts.GroupBy(a => a.Sink, StringComparer.Ordinal)
            .Select(g =>
            {
                var list = g.OrderBy(a => a.Number).ToList();
                var last = list[^1];
                return new SinkDetail(g.Key, last.Succeeded ? Outcome.Delivered : Outcome.Failing, null, last.Error,
                    [.. list.Select(a => new AttemptRow(a.Number, a.StartedAt, a.Duration, a.Succeeded, a.StatusCode, a.Error, a.ResponseHead))]);
            })
            .ToList();
        var row = await RowAsync(e, cancellationToken).ConfigureAwait(false);
        var delivery = await deliveries.GetAsync(e.DeliveryId, cancellationToken).ConfigureAwait(false);
        return new EventDetailView(row, e.OccurredAt, System.Text.Encoding.UTF8.GetString(e.RawJson.Span), delivery is null ? null : Info(delivery.Summary), sinks);
    }

    public async Task<DeliveryDetailView?> GetDeliveryAsync(long id, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (delivery is null)
        {
            return null;
        }

        return new DeliveryDetailView(Info(delivery.Summary), System.Text.Encoding.UTF8.GetString(delivery.Body.Span), []);
    }

    public async Task<ReadOnlyMemory<byte>?> GetDeliveryBodyAsync(long id, CancellationToken cancellationToken) =>
        (await deliveries.GetAsync(id, cancellationToken).ConfigureAwait(false))?.Body;

    public async Task<MessageView> GetMessageAsync(string? wamid, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(wamid))
        {
            return new MessageView(null, null, null, [], null);
        }

        wamid = wamid.Trim();
        var history = await events.GetMessageStatusAsync(wamid, cancellationToken).ConfigureAwait(false);
        var inbound = await events.GetEventAsync("msg:" + wamid, cancellationToken).ConfigureAwait(false);
        var steps = new List<StatusStep>();
        foreach (var t in history?.Timeline ?? [])
        {
            var status = t.Status == "failed" ? await events.GetEventAsync(t.EventId, cancellationToken).ConfigureAwait(false) : null;
            steps.Add(new StatusStep(t.EventId, t.Status, t.Timestamp, t.Applied, status is null ? [] : StatusErrors.Read(status.RawJson)));
        }

        return new MessageView(wamid, history?.Current, history?.RecipientId, steps, inbound?.Id);
    }

    private static DeliveryInfo Info(Inbox.DeliverySummary summary) =>
        new(summary.Id, summary.ReceivedAt, summary.AppId, summary.Length, summary.Flags == Inbox.DeliveryFlags.None ? "" : summary.Flags.ToString(), null, null, null);

    private async Task<EventRow> RowAsync(StoredEvent e, CancellationToken cancellationToken)
    {
        var attempts = await work.ListAttemptsAsync(e.Id, null, cancellationToken).ConfigureAwait(false);
        var sinks = attempts.GroupBy(a => a.Sink, StringComparer.Ordinal)
            .Select(g => g.MaxBy(a => a.Number)!)
            .Select(last => new SinkBadge(last.Sink, last.Succeeded ? Outcome.Delivered : Outcome.Failing, last.StatusCode, null))
            .ToList();
        return new EventRow(e.Sequence, e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.StoredAt, e.DeliveryId, e.IsTest, sinks);
    }
}
