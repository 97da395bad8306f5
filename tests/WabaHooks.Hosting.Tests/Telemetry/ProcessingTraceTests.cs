using System.Diagnostics;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Sqlite;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Telemetry;

public sealed class ProcessingTraceTests
{
    [Fact]
    public async Task A_batch_processed_after_a_restart_is_one_span_linked_to_the_receive_span_stored_with_each_delivery()
    {
        using var dir = new TempDirectory();
        var received = new[] { ActivityContext(), ActivityContext() };
        var options = SqliteStoreOptions.ForDataDirectory(dir.Path);
        await using (var before = new SqliteStore(options))
        {
            await before.InitializeAsync(Ct);
            await before.AppendAsync(
                [.. received.Select(c => Delivery(c.TraceParent)), Delivery(traceParent: null)], Ct);
        }

        // A source of the test's own, so spans from tests running alongside never mix in.
        using var source = new ActivitySource($"WabaHooks.Tests.{Guid.NewGuid():N}");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = static (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) { stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var after = new SqliteStore(options);
        await after.InitializeAsync(Ct);
        var processor = new DeliveryProcessor(after, after, new SinkRouter([]), new ProcessorOptions(), activities: source);

        var report = await processor.ProcessNextBatchAsync(Ct);

        Assert.Equal(3, report.Deliveries);
        var batch = Assert.Single(stopped);
        Assert.Equal("wabahooks process", batch.DisplayName);
        Assert.Equal(3, batch.GetTagItem("wabahooks.deliveries.count"));
        Assert.Equal(received.Select(c => (c.TraceId, c.SpanId)), batch.Links.Select(l => (l.Context.TraceId, l.Context.SpanId)));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (ActivityTraceId TraceId, ActivitySpanId SpanId, string TraceParent) ActivityContext()
    {
        var trace = ActivityTraceId.CreateRandom();
        var span = ActivitySpanId.CreateRandom();
        return (trace, span, $"00-{trace}-{span}-01");
    }

    private static InboundDelivery Delivery(string? traceParent)
    {
        var body = ExamplePayloads.Read("messages-text.json");
        return new InboundDelivery(body, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(body), traceParent);
    }
}
