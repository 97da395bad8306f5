using System.Text;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Cli.Transfer;
using WabaHooks.Inbox;
using WabaHooks.Postgres;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Cli.Tests.Transfer;

/// <summary>
/// copy-store, export and import: a SQLite store with delivered, pending and dead-lettered work moves to PostgreSQL and
/// carries on there; an export round-trips the exact bytes and imports once.
/// </summary>
public sealed class StoreTransferTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Sink = "destination:crm";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(T0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_sqlite_store_copied_to_postgres_resends_nothing_delivered_delivers_each_pending_event_once_and_still_dedupes()
    {
        var sqlitePath = await SeedSqliteStoreAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using (var migrate = new PostgresStore(new PostgresStoreOptions { ConnectionString = database }))
        {
            await migrate.InitializeAsync(Ct);
        }

        await using (var from = await StoreConnection.OpenSqliteAsync(sqlitePath, Ct))
        await using (var to = await StoreConnection.OpenPostgresAsync(database, Ct))
        {
            var copied = await StoreTransfer.CopyAsync(from, to, Ct);
            Assert.Equal(3, copied.Single(c => c.Table == "deliveries").Added);
            Assert.Equal(4, copied.Single(c => c.Table == "events").Added);

            var again = await StoreTransfer.CopyAsync(from, to, Ct);
            Assert.All(again, c => Assert.Equal(0, c.Added));
        }

        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database, TimeProvider = _clock });
        await store.InitializeAsync(Ct);
        _clock.Advance(TimeSpan.FromHours(1));
        var now = _clock.GetUtcNow();

        // The outcomes travelled, and nothing processed waits for the processor again (PostgreSQL's trigger queued each
        // copied delivery; the copy settles the queue against the outcomes).
        Assert.Equal([(3L, 1), (2L, 2), (1L, 1)], (await store.ListDeliveryOutcomesAsync(10, null, Ct)).Select(o => (o.DeliveryId, o.Events)));
        Assert.Empty(await store.ReadUnprocessedAsync(10, Ct));

        // Only the pending events are due: the delivered one is not sent again, the dead letter waits for a retry.
        var due = await store.ClaimDueAsync(Sink, 10, now, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(["msg:pending", "msg:retrying"], due.Select(d => d.EventId).Order(StringComparer.Ordinal));
        Assert.All(due, d => Assert.Equal(LocatorOf(d.EventId), d.Event!.Locator.ToArray()));
        await store.RecordAttemptsAsync([.. due.Select(d => new SinkOutcome(d, new SinkAttempt(d.EventId, Sink, d.Attempts + 1, now, TimeSpan.Zero, true, 200, null, null), null))], Ct);
        Assert.Empty(await store.ClaimDueAsync(Sink, 10, now.AddDays(30), TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(2, (await store.ListAttemptsAsync("msg:retrying", Sink, Ct)).Count);
        Assert.Equal("msg:dead", Assert.Single(await store.ListDeadLettersAsync(Sink, 10, Ct)).EventId);

        // Dedupe and the status view continue; new ids follow the copied ones.
        var redelivery = (await store.AppendAsync([new InboundDelivery("{}"u8.ToArray(), now, "app", DeliveryFlags.None)], Ct))[0];
        Assert.True(redelivery > 3, $"new delivery id {redelivery}");
        var result = await store.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(redelivery, null, [Event("msg:delivered")])]), Ct);
        Assert.Equal(new ProcessingResult(0, 1), result);
        Assert.Equal("read", (await store.GetMessageStatusAsync("wamid.sent", Ct))!.Current);
        Assert.Equal(Body(1), (await store.GetAsync(1, Ct))!.Body.ToArray());
    }

    [Fact]
    public async Task An_export_imported_into_an_empty_store_keeps_the_exact_bytes_and_importing_it_twice_adds_nothing()
    {
        var sqlitePath = await SeedSqliteStoreAsync();
        using var export = new MemoryStream();
        await using (var from = await StoreConnection.OpenSqliteAsync(sqlitePath, Ct))
        {
            await StoreTransfer.ExportAsync(from, export, null, null, Ct);
        }

        var lines = Encoding.UTF8.GetString(export.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("{\"table\":\"deliveries\",\"row\":{\"id\":1,", StringComparison.Ordinal));

        var target = SqliteStoreOptions.ForDataDirectory(_dir.Combine("imported"));
        await using (var create = new SqliteStore(target))
        {
            await create.InitializeAsync(Ct);
        }

        await using (var to = await StoreConnection.OpenSqliteAsync(target.DatabasePath, Ct))
        {
            var first = await StoreTransfer.ImportAsync(new StringReader(Encoding.UTF8.GetString(export.ToArray())), to, Ct);
            var second = await StoreTransfer.ImportAsync(new StringReader(Encoding.UTF8.GetString(export.ToArray())), to, Ct);
            Assert.Equal(lines.Length, first.Sum(c => c.Added));
            Assert.All(second, c => Assert.Equal(0, c.Added));
        }

        await using var store = new SqliteStore(target);
        await store.InitializeAsync(Ct);
        for (var id = 1; id <= 3; id++)
        {
            Assert.Equal(Body(id), (await store.GetAsync(id, Ct))!.Body.ToArray());
        }

        Assert.Equal("msg:dead", Assert.Single(await store.ListDeadLettersAsync(Sink, 10, Ct)).EventId);
    }

    [Fact]
    public async Task An_export_with_a_time_range_holds_only_the_deliveries_and_events_inside_it()
    {
        var sqlitePath = await SeedSqliteStoreAsync();
        using var export = new MemoryStream();
        await using (var from = await StoreConnection.OpenSqliteAsync(sqlitePath, Ct))
        {
            // The third delivery came a minute after the first two.
            await StoreTransfer.ExportAsync(from, export, T0.AddSeconds(30), null, Ct);
        }

        var lines = Encoding.UTF8.GetString(export.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"table\":\"deliveries\",\"row\":{\"id\":3,", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"id\":\"msg:dead\"", lines[1], StringComparison.Ordinal);

        // A range holds no outcomes: imported, its delivery waits for the processor, which finds its event already
        // stored and drops it as a duplicate.
        var target = SqliteStoreOptions.ForDataDirectory(_dir.Combine("range"));
        await using (var create = new SqliteStore(target))
        {
            await create.InitializeAsync(Ct);
        }

        await using (var to = await StoreConnection.OpenSqliteAsync(target.DatabasePath, Ct))
        {
            await StoreTransfer.ImportAsync(new StringReader(Encoding.UTF8.GetString(export.ToArray())), to, Ct);
        }

        await using var store = new SqliteStore(target);
        await store.InitializeAsync(Ct);
        Assert.Equal([3L], (await store.ReadUnprocessedAsync(10, Ct)).Select(d => d.Summary.Id));
        Assert.Equal(new ProcessingResult(0, 1), await store.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(3, null, [Event("msg:dead")])]), Ct));
        Assert.Empty(await store.ReadUnprocessedAsync(10, Ct));
    }

    /// <summary>Bytes that are not valid UTF-8, so a text round trip would change them.</summary>
    private static byte[] Body(long id) => [.. "{\"n\":"u8, (byte)('0' + id), 0xFF, 0xFE, .. "}"u8];

    private static NewEvent Event(string id, StatusChange? status = null) =>
        new(id, status is null ? "messages.text" : "statuses.read", status is null ? "messages" : "statuses", "waba-1", "phone-1", T0, 0,
            Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"), status, [Sink])
        {
            Locator = LocatorOf(id),
        };

    // Opaque to the copy: any bytes tell whether the column travelled.
    private static byte[] LocatorOf(string id) => Encoding.UTF8.GetBytes($"locator of {id}");

    /// <summary>
    /// A SQLite store with one delivered event (a status), one pending, one pending after a failed attempt, and one
    /// dead letter, in three deliveries; closed, as copy-store wants it.
    /// </summary>
    private async Task<string> SeedSqliteStoreAsync()
    {
        var options = new SqliteStoreOptions { DatabasePath = _dir.Combine("source", "wabahooks.db"), TimeProvider = _clock };
        await using var store = new SqliteStore(options);
        await store.InitializeAsync(Ct);
        var ids = await store.AppendAsync([new InboundDelivery(Body(1), T0, "app", DeliveryFlags.None), new InboundDelivery(Body(2), T0, "app", DeliveryFlags.None)], Ct);
        await store.CommitProcessedAsync(new ProcessedBatch(
        [
            new ProcessedDelivery(ids[0], null, [Event("msg:delivered", new StatusChange("wamid.sent", "read", "1555", T0))]),
            new ProcessedDelivery(ids[1], null, [Event("msg:pending"), Event("msg:retrying")]),
        ]), Ct);
        var now = _clock.GetUtcNow();
        var claimed = await store.ClaimDueAsync(Sink, 10, now, TimeSpan.FromMinutes(1), Ct);
        await store.RecordAttemptsAsync(
        [
            .. claimed.Where(c => c.EventId == "msg:delivered").Select(c => new SinkOutcome(c, new SinkAttempt(c.EventId, Sink, 1, now, TimeSpan.Zero, true, 200, null, null), null)),
            .. claimed.Where(c => c.EventId == "msg:retrying").Select(c => new SinkOutcome(c, new SinkAttempt(c.EventId, Sink, 1, now, TimeSpan.Zero, false, 503, "HTTP 503", null), now.AddMinutes(5))),
        ], Ct);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var third = (await store.AppendAsync([new InboundDelivery(Body(3), _clock.GetUtcNow(), "app", DeliveryFlags.None)], Ct))[0];
        await store.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(third, null, [Event("msg:dead")])]), Ct);
        var dead = (await store.ClaimDueAsync(Sink, 10, _clock.GetUtcNow(), TimeSpan.FromMinutes(1), Ct)).Single(c => c.EventId == "msg:dead");
        await ((ISinkWorkStore)store).RecordAttemptAsync(dead, new SinkAttempt("msg:dead", Sink, 1, _clock.GetUtcNow(), TimeSpan.Zero, false, 500, "HTTP 500", null), null, Ct);

        // The pending ones were leased by the claims above: the copy must not carry a lease of this process.
        return options.DatabasePath;
    }
}
