using Microsoft.Data.Sqlite;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Sqlite.Tests;

public sealed class SqliteBackupTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_backup_taken_under_concurrent_appends_opens_whole_and_holds_a_consistent_prefix_of_the_commits()
    {
        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db") });
        await store.InitializeAsync(Ct);
        using var stop = new CancellationTokenSource();
        var body = new byte[2048];
        var appended = 0;

        // Each batch is one delivery and its event, committed in two transactions, as the inbox and processor do.
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = (await store.AppendAsync([new InboundDelivery(body, DateTimeOffset.UtcNow, "app", DeliveryFlags.None)], Ct))[0];
                await store.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(id, null,
                    [new NewEvent($"msg:{id}", "messages.text", "messages", "waba", null, null, 0, "{}"u8.ToArray(), null, ["s1"])])]), Ct);
                Interlocked.Increment(ref appended);
            }
        }, Ct);
        await Await.UntilAsync(() => Volatile.Read(ref appended) >= 200, "the first 200 appends");

        var backup = _dir.Combine("backup.db");
        await store.BackupAsync(backup, Ct);
        var seenBeforeStop = Volatile.Read(ref appended);
        await stop.CancelAsync();
        await writer;

        await using var copy = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False");
        await copy.OpenAsync(Ct);
        Assert.Equal("ok", await ScalarAsync(copy, "PRAGMA integrity_check;"));
        var deliveries = (long)(await ScalarAsync(copy, "SELECT count(*) FROM deliveries;"))!;
        Assert.InRange(deliveries, 200, seenBeforeStop + 1);

        // A prefix: ids 1..N with no gap, every event and its work belongs to a delivery in the copy, and every
        // processed delivery has its event.
        Assert.Equal(deliveries, await ScalarAsync(copy, "SELECT max(id) FROM deliveries;"));
        Assert.Equal(0L, await ScalarAsync(copy, "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = e.delivery_id);"));
        Assert.Equal(0L, await ScalarAsync(copy, "SELECT count(*) FROM delivery_outcomes o WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.delivery_id = o.delivery_id);"));
        Assert.Equal(await ScalarAsync(copy, "SELECT count(*) FROM events;"), await ScalarAsync(copy, "SELECT count(*) FROM sink_work;"));
        Assert.InRange((long)(await ScalarAsync(copy, "SELECT count(*) FROM delivery_pending;"))!, 0, 1);
    }

    [Fact]
    public async Task A_backup_never_overwrites_a_file()
    {
        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db") });
        await store.InitializeAsync(Ct);
        var existing = _dir.Combine("existing.db");
        await File.WriteAllTextAsync(existing, "keep me", Ct);

        await Assert.ThrowsAsync<IOException>(() => store.BackupAsync(existing, Ct));
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing, Ct));
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }
}
