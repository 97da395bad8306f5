using WabaHooks.Storage;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// A real store's events, passed through: a test overrides only the call it changes (a commit that fails, or holds a
/// value the store must refuse), so every other call is the real store's.
/// </summary>
public class DelegatingEventStore(IEventStore inner) : IEventStore
{
    /// <inheritdoc/>
    public virtual Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken) => inner.CommitProcessedAsync(batch, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryHoldProcessingLeaseAsync(CancellationToken cancellationToken) => inner.TryHoldProcessingLeaseAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) => inner.ListEventsAsync(query, cancellationToken);

    /// <inheritdoc/>
    public Task<StoredEvent?> GetEventAsync(string id, CancellationToken cancellationToken) => inner.GetEventAsync(id, cancellationToken);

    /// <inheritdoc/>
    public Task<MessageStatusHistory?> GetMessageStatusAsync(string wamid, CancellationToken cancellationToken) => inner.GetMessageStatusAsync(wamid, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryOutcomesAsync(int limit, long? beforeId, CancellationToken cancellationToken) => inner.ListDeliveryOutcomesAsync(limit, beforeId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListFailedDeliveriesAsync(int limit, long? beforeId, CancellationToken cancellationToken) => inner.ListFailedDeliveriesAsync(limit, beforeId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<long>> ReprocessAsync(IReadOnlyList<long>? deliveryIds, CancellationToken cancellationToken) => inner.ReprocessAsync(deliveryIds, cancellationToken);
}
