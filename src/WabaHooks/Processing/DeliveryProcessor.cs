using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Processing;

/// <summary>
/// Turns committed deliveries into events, after the 200. It reads the inbox in order, from the oldest delivery not yet
/// marked processed, splits each delivery, and commits the new events, their sink work, the status view, the
/// deliveries' processed marks in one transaction: a crash at any point either keeps all of a batch or
/// none of it, and the redone batch dedupes on idempotency keys.
/// </summary>
public sealed class DeliveryProcessor
{
    private readonly IDeliveryStore _inbox;
    private readonly IEventStore _events;
    private readonly SinkRouter _router;
    private readonly ProcessorOptions _options;

    /// <summary>Creates a processor.</summary>
    public DeliveryProcessor(IDeliveryStore inbox, IEventStore events, SinkRouter router, ProcessorOptions options)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(options);
        _inbox = inbox;
        _events = events;
        _router = router;
        _options = options;
    }

    /// <summary>
    /// Processes the next batch of committed deliveries, if any.
    /// </summary>
    /// <returns>How many deliveries were processed, and what the commit did; zero deliveries when the inbox is caught up.</returns>
    /// <exception cref="StoreUnavailableException">The store failed; no delivery was marked processed.</exception>
    public async Task<(int Deliveries, ProcessingResult Result)> ProcessNextBatchAsync(CancellationToken cancellationToken)
    {
        if (!await _events.TryHoldProcessingLeaseAsync(cancellationToken).ConfigureAwait(false))
        {
            // Another instance is processing; this one stays ready to take over when that one goes away.
            return (0, new ProcessingResult(0, 0));
        }

        var deliveries = await _inbox.ReadUnprocessedAsync(_options.BatchSize, cancellationToken).ConfigureAwait(false);
        if (deliveries.Count == 0)
        {
            return (0, new ProcessingResult(0, 0));
        }

        var processed = new List<ProcessedDelivery>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            processed.Add(Process(delivery));
        }

        var result = await _events.CommitProcessedAsync(new ProcessedBatch(processed), cancellationToken).ConfigureAwait(false);
        return (deliveries.Count, result);
    }

    private ProcessedDelivery Process(Delivery delivery)
    {
        var split = DeliverySplitter.Split(delivery.Body, delivery.Id);
        if (!split.IsSuccess)
        {
            // Kept in the inbox, marked, and passed over: one bad delivery never stops the rest.
            return new ProcessedDelivery(delivery.Id, $"{split.Failure}: {split.Error}", []);
        }

        var events = new List<NewEvent>(split.Events.Count);
        foreach (var e in split.Events)
        {
            events.Add(new NewEvent(
                e.Id,
                e.Type,
                e.Field,
                e.WabaId,
                e.PhoneNumberId,
                e.OccurredAt,
                e.Position,
                e.RawJson.ToArray(),
                StatusChangeOf(e),
                _router.Route(e)));
        }

        return new ProcessedDelivery(delivery.Id, null, events);
    }

    private static StatusChange? StatusChangeOf(WabaEvent e) =>
        e.Kind == WabaEventKind.Status && e.Payload is MessageStatus { Wamid.Length: > 0 } status
            ? new StatusChange(status.Wamid, status.Status, status.RecipientParticipantId ?? status.RecipientId ?? status.RecipientUserId, status.Timestamp)
            : null;
}
