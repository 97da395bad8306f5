using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Hosting.Retention;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Sqlite.Tests;

/// <summary>SQLite's half of retention: pages freed by a prune go back to the filesystem, in old files too.</summary>
public sealed class SqliteFreeSpaceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _dir.Combine("wabahooks.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_store_made_before_retention_gets_incremental_vacuum_on_its_first_start_and_keeps_its_rows()
    {
        await using (var old = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await old.OpenAsync(Ct);
            SqliteSchema.Migrate(old, SqliteSchema.CurrentVersion - 1);
            await using var command = old.CreateCommand();
            // As an older release left it: no auto_vacuum, one delivery.
            command.CommandText =
                """
                PRAGMA auto_vacuum = NONE; VACUUM;
                INSERT INTO deliveries (received_at, app_id, length, flags, body) VALUES (1, 'app', 2, 0, x'7b7d');
                """;
            await command.ExecuteNonQueryAsync(Ct);
            command.CommandText = "PRAGMA auto_vacuum;";
            Assert.Equal(0L, await command.ExecuteScalarAsync(Ct));
        }

        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath });
        await store.InitializeAsync(Ct);

        await using var check = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await check.OpenAsync(Ct);
        await using var read = check.CreateCommand();
        read.CommandText = "PRAGMA auto_vacuum;";
        Assert.Equal(SqliteSchema.IncrementalVacuum, await read.ExecuteScalarAsync(Ct));
        read.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)SqliteSchema.CurrentVersion, await read.ExecuteScalarAsync(Ct));
        Assert.Single(await store.ListAsync(10, null, Ct));
    }

    [Fact]
    public async Task Pruned_deliveries_give_their_pages_back_and_the_file_shrinks()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath, TimeProvider = clock });
        await store.InitializeAsync(Ct);
        var body = new byte[16 * 1024];
        for (var i = 0; i < 20; i++)
        {
            var batch = Enumerable.Range(0, 50).Select(_ => new InboundDelivery(body, clock.GetUtcNow(), "app", DeliveryFlags.None)).ToList();
            var ids = await store.AppendAsync(batch, Ct);
            await store.CommitProcessedAsync(new ProcessedBatch([.. ids.Select(id => new ProcessedDelivery(id, null, []))]), Ct);
        }

        await store.CheckpointAsync(Ct);
        var full = new FileInfo(DatabasePath).Length;
        clock.Advance(TimeSpan.FromDays(31));
        var pruner = new RetentionPruner(store, 100);

        var removed = await pruner.PruneAsync(new RetentionOptions().CutoffsAt(clock.GetUtcNow()), Ct);
        var released = await pruner.ReleaseFreeSpaceAsync(Ct);
        await store.CheckpointAsync(Ct);

        Assert.Equal(1000, removed.Deliveries);
        Assert.True(released > 15_000_000, $"released {released} bytes");
        var after = new FileInfo(DatabasePath).Length;
        Assert.True(after < full / 10, $"the file went from {full} to {after} bytes");
        Assert.True(await store.GetUsedBytesAsync(Ct) < 1_000_000);
    }
}
