using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Commands;

/// <summary>Joins a page of deliveries with the processor's outcomes for them, by delivery id.</summary>
internal static class DeliveryOutcomes
{
    public static async Task<Dictionary<long, DeliveryOutcome>> ForAsync(IEventStore store, IReadOnlyList<DeliverySummary> deliveries, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return [];
        }

        // Outcomes exist only for processed deliveries, newest first. Starting just above the page's newest id, the
        // first page-size outcomes include every processed delivery of the page, since they are a subset of its ids.
        var newest = deliveries.Max(d => d.Id);
        var oldest = deliveries.Min(d => d.Id);
        var outcomes = await store.ListDeliveryOutcomesAsync(deliveries.Count, newest + 1, cancellationToken).ConfigureAwait(false);
        return outcomes.Where(o => o.DeliveryId >= oldest).ToDictionary(o => o.DeliveryId);
    }
}
