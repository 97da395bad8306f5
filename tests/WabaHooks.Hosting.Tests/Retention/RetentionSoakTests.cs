using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Hosting.Retention;
using WabaHooks.Inbox;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Retention;

/// <summary>
/// The retention service at a reduced scale: minutes of retention, a steady rate, a fake clock moved a minute at a
/// time. The service prunes on its own timer; the SQLite file stops growing once the oldest data leaves as fast as new
/// data arrives.
/// </summary>
public sealed class RetentionSoakTests : IDisposable
{
    private const int DeliveriesPerMinute = 100;

    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Under_a_steady_rate_with_retention_in_minutes_the_sqlite_file_size_plateaus()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = _dir.Combine("wabahooks.db");
        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = path, TimeProvider = clock, WalSizeLimitBytes = 1024 * 1024 });
        await store.InitializeAsync(Ct);
        var options = new WabaHooksOptions();
        var retention = options.Retention;
        retention.Deliveries = retention.Events = retention.Attempts = retention.DeadLetters = TimeSpan.FromMinutes(10);
        retention.DedupeHorizon = TimeSpan.FromMinutes(20);
        retention.Interval = TimeSpan.FromMinutes(1);
        retention.BatchSize = 50;
        using var service = new RetentionService(store, Options.Create(options), clock, NullLogger<RetentionService>.Instance);
        await service.StartAsync(Ct);

        var body = new byte[4096];
        var sizes = new List<long>();
        var sequence = 0;
        for (var minute = 0; minute < 60; minute++)
        {
            var batch = Enumerable.Range(0, DeliveriesPerMinute).Select(_ => new InboundDelivery(body, clock.GetUtcNow(), "app", DeliveryFlags.None)).ToList();
            var ids = await store.AppendAsync(batch, Ct);
            await store.CommitProcessedAsync(new ProcessedBatch([.. ids.Select(id => new ProcessedDelivery(id, null, [Event($"msg:{sequence++}")]))]), Ct);

            var rounds = service.Rounds;
            clock.Advance(TimeSpan.FromMinutes(1));
            await Await.UntilAsync(() => service.Rounds > rounds, $"the retention round after minute {minute}");
            sizes.Add(CheckpointedFileSize(path));
        }

        await service.StopAsync(Ct);

        // 60 minutes wrote some 25 MB; the store holds about ten minutes of it. The last 20 minutes stay within the
        // size the 20 before them reached: a plateau, not a slope.
        var middle = sizes.Skip(20).Take(20).Max();
        var last = sizes.Skip(40).Max();
        Assert.True(last <= middle * 1.05, $"file sizes by minute: {string.Join(", ", sizes)}");
        Assert.True(last < 8L * 1024 * 1024, $"file sizes by minute: {string.Join(", ", sizes)}");
        var kept = await store.ListAsync(10_000, null, Ct);
        Assert.InRange(kept.Count, DeliveriesPerMinute * 9, DeliveriesPerMinute * 11);
    }

    private static NewEvent Event(string id) =>
        new(id, "messages.text", "messages", "waba-1", "phone-1", null, 0, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"), null, []);

    /// <summary>The database file's size once the log is copied into it: where the pages given back show.</summary>
    private static long CheckpointedFileSize(string path)
    {
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        return new FileInfo(path).Length;
    }
}
