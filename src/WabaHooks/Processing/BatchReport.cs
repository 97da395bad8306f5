namespace WabaHooks.Processing;

/// <summary>What one turn of the processor did.</summary>
/// <param name="Deliveries">Deliveries read and marked processed (failed ones included); zero when the inbox is caught up.</param>
/// <param name="Stored">Events stored.</param>
/// <param name="Duplicates">Events dropped because their idempotency key was already stored.</param>
/// <param name="Failed">
/// Deliveries that could not be processed because of their content (a defect in splitting, or the store refusing their
/// events), marked failed with the reason so they never block the others. Bodies that are simply not notifications
/// (not JSON, another object) are marked too, but are not listed here: they are expected, not failures of WabaHooks.
/// </param>
public sealed record BatchReport(int Deliveries, int Stored, int Duplicates, IReadOnlyList<FailedDelivery> Failed)
{
    /// <summary>Nothing to process.</summary>
    public static BatchReport Empty { get; } = new(0, 0, 0, []);

    /// <summary>Each delivery of the batch and how many events it gave, in inbox order, for a per-delivery log.</summary>
    public IReadOnlyList<DeliverySplitSummary> Split { get; init; } = [];
}

/// <summary>One delivery of a batch and what splitting it gave.</summary>
/// <param name="DeliveryId">The inbox id.</param>
/// <param name="AppId">The app whose secret verified it.</param>
/// <param name="Length">Its body length in bytes.</param>
/// <param name="Events">The events it gave (before Meta's redeliveries are dropped); 0 when it was marked failed.</param>
/// <param name="Test">Whether it is marked as test traffic.</param>
public sealed record DeliverySplitSummary(long DeliveryId, string AppId, int Length, int Events, bool Test);

/// <summary>A delivery marked failed, and why.</summary>
/// <param name="DeliveryId">The inbox id.</param>
/// <param name="Reason">The reason stored with it.</param>
public sealed record FailedDelivery(long DeliveryId, string Reason);
