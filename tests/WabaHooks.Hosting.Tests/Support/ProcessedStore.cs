using Microsoft.Extensions.Time.Testing;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Tests.Support;

/// <summary>
/// A real SQLite store file, filled the way a gateway fills it: deliveries appended to the inbox, then split and
/// stored by the processor, on a clock the test moves.
/// </summary>
internal sealed class ProcessedStore : IAsyncDisposable
{
    private ProcessedStore(SqliteStore store, FakeTimeProvider time)
    {
        Store = store;
        Time = time;
    }

    public SqliteStore Store { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<ProcessedStore> OpenAsync(string dataDir)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var options = SqliteStoreOptions.ForDataDirectory(dataDir);
        options.TimeProvider = time;
        var store = new SqliteStore(options);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return new ProcessedStore(store, time);
    }

    /// <summary>Appends the deliveries without processing them.</summary>
    public Task<IReadOnlyList<long>> AppendAsync(params byte[][] bodies) => AppendAsync(DeliveryFlags.None, bodies);

    /// <summary>Appends deliveries with <paramref name="mark"/> added to their flags (<see cref="DeliveryFlags.Test"/>).</summary>
    public async Task<IReadOnlyList<long>> AppendAsync(DeliveryFlags mark, params byte[][] bodies) =>
        await Store.AppendAsync([.. bodies.Select(b => new InboundDelivery(b, Time.GetUtcNow(), "app", DeliveryClassifier.Classify(b) | mark))], TestContext.Current.CancellationToken);

    /// <summary>Appends and processes the deliveries, scheduling work for <paramref name="sinks"/>; returns the new events' ids, oldest first.</summary>
    public Task<IReadOnlyList<string>> ReceiveAsync(IReadOnlyList<SinkRegistration> sinks, params byte[][] bodies) =>
        ReceiveAsync(sinks, DeliveryFlags.None, bodies);

    /// <summary>Appends and processes deliveries with <paramref name="mark"/> added to their flags; returns the new events' ids, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ReceiveAsync(IReadOnlyList<SinkRegistration> sinks, DeliveryFlags mark, params byte[][] bodies)
    {
        var newest = (await Store.ListEventsAsync(new EventQuery { Limit = 1 }, TestContext.Current.CancellationToken)).FirstOrDefault()?.Sequence ?? 0;
        await AppendAsync(mark, bodies);
        var processor = new DeliveryProcessor(Store, Store, new SinkRouter(sinks), new ProcessorOptions());
        BatchReport report;
        do
        {
            report = await processor.ProcessNextBatchAsync(TestContext.Current.CancellationToken);
        }
        while (report.Deliveries > 0);

        var stored = await Store.ListEventsAsync(new EventQuery { Limit = 100_000 }, TestContext.Current.CancellationToken);
        return [.. stored.Where(e => e.Sequence > newest).OrderBy(e => e.Sequence).Select(e => e.Id)];
    }

    /// <inheritdoc cref="ReceiveAsync(IReadOnlyList{SinkRegistration}, byte[][])"/>
    public Task<IReadOnlyList<string>> ReceiveAsync(params byte[][] bodies) => ReceiveAsync([], bodies);

    /// <summary>The sink's work rows by state, or all zero when it has none.</summary>
    public async Task<SinkBacklog> BacklogAsync(string sink) =>
        (await Store.GetBacklogAsync(TestContext.Current.CancellationToken)).FirstOrDefault(b => b.Sink == sink) ?? new SinkBacklog(sink, 0, 0, 0);

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
