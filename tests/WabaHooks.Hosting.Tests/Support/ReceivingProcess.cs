using WabaHooks.Inbox;
using WabaHooks.Sqlite;

namespace WabaHooks.Hosting.Tests.Support;

/// <summary>
/// Stands in for a separate receiving process (a gateway that only stores what Meta sends): it appends deliveries to the
/// SQLite file through a store of its own, exactly as that process's inbox writer would.
/// </summary>
internal static class ReceivingProcess
{
    public static async Task<IReadOnlyList<long>> AppendAsync(string dataDir, params byte[][] bodies)
    {
        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(dataDir));
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        var batch = bodies.Select(b => new InboundDelivery(b, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(b))).ToList();
        return await store.AppendAsync(batch, TestContext.Current.CancellationToken);
    }
}
