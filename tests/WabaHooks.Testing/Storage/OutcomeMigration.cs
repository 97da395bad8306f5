using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// The migration that moved the processor's outcome out of the delivery row, as both stores must leave it: each store's
/// test writes three deliveries as the previous release did (processed with 3 events and 1 duplicate at 100 ms; failed
/// to split, "not JSON", at 200 ms; waiting) and checks the migrated store with this.
/// </summary>
public static class OutcomeMigration
{
    /// <summary>Asserts that the outcomes moved and only the waiting delivery (id 3) waits.</summary>
    public static async Task AssertMovedOutAsync(IWabaHooksStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        Assert.Equal(
            [new DeliveryOutcome(2, 0, 0, "not JSON", DateTimeOffset.FromUnixTimeMilliseconds(200)), new DeliveryOutcome(1, 3, 1, null, DateTimeOffset.FromUnixTimeMilliseconds(100))],
            await store.ListDeliveryOutcomesAsync(10, null, cancellationToken));
        Assert.Equal([2L], (await store.ListFailedDeliveriesAsync(10, null, cancellationToken)).Select(o => o.DeliveryId));
        Assert.Equal([3L], (await store.ReadUnprocessedAsync(10, cancellationToken)).Select(d => d.Summary.Id));
    }
}
