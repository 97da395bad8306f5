using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Inbox;

/// <summary>
/// What arrived in the inbox and what the processor made of it, and running deliveries through the processor again.
/// For an admin API, or a tool beside a running gateway that shares its store.
/// </summary>
/// <param name="deliveries">The inbox.</param>
/// <param name="events">The processor's outcomes (the same store).</param>
public sealed class InboxReview(IDeliveryStore deliveries, IEventStore events)
{
    /// <summary>Deliveries, newest first, each with its outcome (<see langword="null"/> while it waits to be processed).</summary>
    /// <param name="limit">At most this many.</param>
    /// <param name="beforeId">Only ids below this one, for paging.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<ReviewedDelivery>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken)
    {
        var page = await deliveries.ListAsync(limit, beforeId, cancellationToken).ConfigureAwait(false);
        if (page.Count == 0)
        {
            return [];
        }

        // Outcomes exist only for processed deliveries, newest first. Starting just above the page's newest id, the
        // first page-size outcomes include every processed delivery of the page, since they are a subset of its ids.
        var newest = page.Max(d => d.Id);
        var oldest = page.Min(d => d.Id);
        var outcomes = (await events.ListDeliveryOutcomesAsync(page.Count, newest + 1, cancellationToken).ConfigureAwait(false))
            .Where(o => o.DeliveryId >= oldest)
            .ToDictionary(o => o.DeliveryId);
        return [.. page.Select(d => new ReviewedDelivery(d, outcomes.GetValueOrDefault(d.Id)))];
    }

    /// <summary>Deliveries the processor marked failed, newest first, each with the reason.</summary>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<ReviewedDelivery>> ListFailedAsync(int limit, CancellationToken cancellationToken)
    {
        var failed = await events.ListFailedDeliveriesAsync(limit, null, cancellationToken).ConfigureAwait(false);
        var found = new List<ReviewedDelivery>(failed.Count);
        foreach (var outcome in failed)
        {
            if (await deliveries.GetAsync(outcome.DeliveryId, cancellationToken).ConfigureAwait(false) is { } delivery)
            {
                found.Add(new ReviewedDelivery(delivery.Summary, outcome));
            }
        }

        return found;
    }

    /// <summary>
    /// Takes processed deliveries back to unprocessed, so the processor splits them again (after an upgrade that fixes
    /// why they failed). Events they gave before are deduplicated on their keys, so no sink receives one twice.
    /// </summary>
    /// <param name="deliveryIds">The deliveries; <see langword="null"/> for every one marked failed.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    public async Task<ReprocessResult> ReprocessAsync(IReadOnlyList<long>? deliveryIds, CancellationToken cancellationToken)
    {
        var queued = await events.ReprocessAsync(deliveryIds, cancellationToken).ConfigureAwait(false);
        return new(queued, deliveryIds is null ? [] : [.. deliveryIds.Except(queued)]);
    }
}

/// <summary>A delivery and what the processor made of it.</summary>
/// <param name="Summary">The delivery, without its body.</param>
/// <param name="Outcome">Events, duplicates or why it failed; <see langword="null"/> while it waits to be processed.</param>
public sealed record ReviewedDelivery(DeliverySummary Summary, DeliveryOutcome? Outcome);

/// <summary>The outcome of <see cref="InboxReview.ReprocessAsync"/>.</summary>
/// <param name="Queued">The deliveries taken back to unprocessed, ascending.</param>
/// <param name="LeftAsTheyAre">Ids given that are unknown or not processed yet, in the order given.</param>
public sealed record ReprocessResult(IReadOnlyList<long> Queued, IReadOnlyList<long> LeftAsTheyAre);
