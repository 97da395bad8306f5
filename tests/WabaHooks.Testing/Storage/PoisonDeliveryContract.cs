using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// No delivery can stop the processor, on every store: odd values give the events they can, a delivery whose content
/// breaks processing or that the store refuses is marked failed alone, and only the store being unavailable pauses.
/// </summary>
public abstract class PoisonDeliveryContract : StoreContract<IWabaHooksStore>
{
    /// <summary>The example payload with one piece of its text replaced, as a signed body would carry it.</summary>
    protected static byte[] Edited(string payload, string find, string replace)
    {
        var text = Encoding.UTF8.GetString(ExamplePayloads.Read(payload));
        Assert.Contains(find, text, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text.Replace(find, replace, StringComparison.Ordinal));
    }

    /// <summary>Appends each body as its own delivery; returns their ids.</summary>
    protected async Task<List<long>> AppendAsync(params byte[][] bodies)
    {
        var ids = new List<long>();
        foreach (var body in bodies)
        {
            ids.AddRange(await Store.AppendAsync([new InboundDelivery(body, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(body))], Ct));
        }

        return ids;
    }

    /// <summary>Runs the processor over <paramref name="events"/> until the inbox is empty; returns every report.</summary>
    protected async Task<List<BatchReport>> DrainAsync(IEventStore? events = null, int batchSize = 64)
    {
        var processor = new DeliveryProcessor(Store, events ?? Store, new SinkRouter([new SinkRegistration("all", new EventFilter())]), new ProcessorOptions { BatchSize = batchSize });
        var reports = new List<BatchReport>();
        for (var round = 0; round < 100; round++)
        {
            var report = await processor.ProcessNextBatchAsync(Ct);
            if (report.Deliveries == 0)
            {
                return reports;
            }

            reports.Add(report);
        }

        throw new InvalidOperationException("The processor never caught up.");
    }

    /// <summary>Each delivery's outcome by id.</summary>
    protected async Task<Dictionary<long, DeliveryOutcome>> OutcomesAsync() =>
        (await Store.ListDeliveryOutcomesAsync(10_000, null, Ct)).ToDictionary(o => o.DeliveryId);

    [Fact]
    public async Task Odd_values_from_the_probe_never_stop_the_deliveries_after_them()
    {
        byte[][] poison =
        [
            Edited("messages-status-read.json", "\"status\": \"read\"", "\"status\": null"),
            Edited("messages-status-read.json", "\"status\": \"read\",", ""),
            Edited("messages-status-read.json", "\"status\": \"read\"", "\"status\": 3"),
            Edited("messages-status-read.json", "\"status\": \"read\"", "\"status\": \"\""),
            [.. Edited("messages-text.json", "\"id\": \"109876543210001\"", "\"id\": \"10987654321000").AsSpan(), 0xA7, .. "\""u8],
            Edited("messages-text.json", "\"id\": \"109876543210001\"", "\"id\": \"10987654321\\ud800\""),
            Edited("messages-text.json", "\"field\": \"messages\"", "\"field\": \"messages\\udc00\""),
            Edited("messages-text.json", "AA==\"", "AA==\\ud83d\""),
        ];
        var ids = await AppendAsync([.. poison, ExamplePayloads.Read("messages-reaction.json")]);

        await DrainAsync();

        Assert.Empty(await Store.ReadUnprocessedAsync(10, Ct));
        var outcomes = await OutcomesAsync();
        Assert.All(ids, id => Assert.True(outcomes.ContainsKey(id), $"delivery {id} has no outcome"));
        var events = await Store.ListEventsAsync(new EventQuery { Limit = 1000 }, Ct);

        // A null, missing, numeric or empty status is still a status: its event is statuses.unknown, with the raw item.
        foreach (var id in ids.Take(4))
        {
            Assert.Null(outcomes[id].ParseError);
            Assert.Equal("statuses.unknown", Assert.Single(events, e => e.DeliveryId == id).Type);
        }

        Assert.Equal("messages.reaction", Assert.Single(events, e => e.DeliveryId == ids[^1]).Type);
        Assert.All(ids, id => Assert.True(outcomes[id].ParseError is null || outcomes[id].Events == 0));
    }

    [Fact]
    public async Task A_delivery_whose_events_the_store_refuses_is_marked_failed_and_the_rest_of_its_batch_is_stored()
    {
        var names = new[] { "messages-text.json", "messages-image.json", "messages-reaction.json", "messages-location.json", "messages-status-read.json" };
        var ids = await AppendAsync([.. names.Select(ExamplePayloads.Read)]);
        var refused = ids[2];

        var reports = await DrainAsync(new RefusingEventStore(Store, refused));

        var failed = Assert.Single(reports.SelectMany(r => r.Failed));
        Assert.Equal(refused, failed.DeliveryId);
        Assert.StartsWith(ProcessingFailures.StoreRefused + ":", failed.Reason, StringComparison.Ordinal);
        var outcomes = await OutcomesAsync();
        Assert.Equal(failed.Reason, outcomes[refused].ParseError);
        Assert.Equal(0, outcomes[refused].Events);
        Assert.All(ids.Where(id => id != refused), id => Assert.True(outcomes[id] is { ParseError: null, Events: 1 }, $"delivery {id}: {outcomes[id]}"));
        Assert.Equal(refused, Assert.Single(await Store.ListFailedDeliveriesAsync(10, null, Ct)).DeliveryId);
    }

    [Fact]
    public async Task A_store_that_cannot_commit_pauses_processing_and_marks_nothing()
    {
        var ids = await AppendAsync(ExamplePayloads.Read("messages-text.json"), ExamplePayloads.Read("messages-image.json"));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => DrainAsync(new RefusingEventStore(Store, null)));

        Assert.Equal(ids, (await Store.ReadUnprocessedAsync(10, Ct)).Select(d => d.Id));
        Assert.Empty(await OutcomesAsync());
    }

    [Fact]
    public async Task Reprocessing_failed_deliveries_runs_them_again_and_their_events_are_stored_once()
    {
        var ids = await AppendAsync(ExamplePayloads.Read("messages-text.json"), ExamplePayloads.Read("messages-image.json"), "not json"u8.ToArray());
        await DrainAsync(new RefusingEventStore(Store, ids[0]));
        Assert.Equal([ids[2], ids[0]], (await Store.ListFailedDeliveriesAsync(10, null, Ct)).Select(o => o.DeliveryId));

        // "An upgrade fixed it": every failed delivery, the one that can never parse included, runs again.
        Assert.Equal([ids[0], ids[2]], await Store.ReprocessAsync(null, Ct));
        Assert.Equal([ids[0], ids[2]], (await Store.ReadUnprocessedAsync(10, Ct)).Select(d => d.Id));
        await DrainAsync();

        var outcomes = await OutcomesAsync();
        Assert.True(outcomes[ids[0]] is { ParseError: null, Events: 1, Duplicates: 0 }, outcomes[ids[0]].ToString());
        Assert.StartsWith("NotJson", outcomes[ids[2]].ParseError, StringComparison.Ordinal);
        Assert.Equal(2, (await Store.ListEventsAsync(new EventQuery { Limit = 10 }, Ct)).Count);

        // By id, a processed delivery runs again too; its events are already stored, so they are counted as duplicates.
        Assert.Equal([ids[1]], await Store.ReprocessAsync([ids[1], 999_999], Ct));
        await DrainAsync();
        Assert.True((await OutcomesAsync())[ids[1]] is { Events: 0, Duplicates: 1 });
        Assert.Equal(2, (await Store.ListEventsAsync(new EventQuery { Limit = 10 }, Ct)).Count);
    }

    /// <summary>
    /// The real store, handed an event it must refuse (a null type) for one delivery, as a store refuses a value it
    /// cannot hold; with no delivery named, it is a store that cannot commit at all.
    /// </summary>
    private sealed class RefusingEventStore(IWabaHooksStore inner, long? refusedDelivery) : DelegatingEventStore(inner)
    {
        public override Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken)
        {
            if (refusedDelivery is null)
            {
                throw new StoreUnavailableException("the disk is gone");
            }

            var changed = batch.Deliveries.Select(d => d.DeliveryId == refusedDelivery && d.Events.Count > 0
                ? d with { Events = [.. d.Events.Select(e => e with { Type = null! })] }
                : d);
            return base.CommitProcessedAsync(new ProcessedBatch([.. changed]), cancellationToken);
        }
    }
}
