namespace WabaHooks.Storage;

/// <summary>
/// Events split from the inbox and the views derived from them. Everything the processor
/// learns from a batch of deliveries is committed in one transaction, so a crash loses nothing and stores nothing twice.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Whether this instance may run the processor now. A store shared by several instances grants it to one at a
    /// time and frees it when that instance goes away; a single-process store always grants it.
    /// </summary>
    Task<bool> TryHoldProcessingLeaseAsync(CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: stores each event whose idempotency key is new (a duplicate is counted, not stored),
    /// schedules its sinks, applies status changes to the message status view, and marks each delivery processed with
    /// its outcome (which takes it out of <see cref="IDeliveryStore.ReadUnprocessedAsync"/>).
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store could not commit; nothing of the batch is kept.</exception>
    Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken);

    /// <summary>Lists events, newest first, filtered by <paramref name="query"/>.</summary>
    Task<IReadOnlyList<StoredEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>One event by its idempotency key, or <see langword="null"/>.</summary>
    Task<StoredEvent?> GetEventAsync(string id, CancellationToken cancellationToken);

    /// <summary>The current status of an outbound message and every status received for it, or <see langword="null"/>.</summary>
    Task<MessageStatusHistory?> GetMessageStatusAsync(string wamid, CancellationToken cancellationToken);

    /// <summary>What each delivery turned into: events, duplicates, parse errors. Newest first.</summary>
    Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryOutcomesAsync(int limit, long? beforeId, CancellationToken cancellationToken);

    /// <summary>The outcomes of deliveries that were marked with a reason instead of being split. Newest first.</summary>
    Task<IReadOnlyList<DeliveryOutcome>> ListFailedDeliveriesAsync(int limit, long? beforeId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes processed deliveries back to unprocessed, so the processor splits them again (after an upgrade that fixes
    /// why they failed). Events they already gave are deduplicated on their keys, so nothing is delivered twice.
    /// </summary>
    /// <param name="deliveryIds">The deliveries; <see langword="null"/> for every delivery marked with a reason.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The ids taken back, ascending; ids that are unknown or not processed yet are left out.</returns>
    Task<IReadOnlyList<long>> ReprocessAsync(IReadOnlyList<long>? deliveryIds, CancellationToken cancellationToken);
}
