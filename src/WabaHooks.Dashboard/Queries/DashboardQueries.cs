using System.Globalization;
using WabaHooks.Dashboard.Views;
using WabaHooks.Storage;

namespace WabaHooks.Dashboard.Queries;

/// <summary>
/// Turns what the admin query layer answers into the rows the pages show. The pages never query a store on their own.
/// </summary>
internal sealed class DashboardQueries(IEventStore events, ISinkWorkStore work)
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
