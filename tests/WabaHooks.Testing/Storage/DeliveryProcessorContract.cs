using System.Text;
using System.Text.Json;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// The processor over every store: each delivery becomes the events its JSON implies, once each, with its sinks'
/// work; a crash before a commit loses nothing and duplicates nothing. SQLite and PostgreSQL derive from it.
/// </summary>
public abstract class DeliveryProcessorContract : StoreContract<IWabaHooksStore>
{
    private const string StoryWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=";

    private DeliveryProcessor Processor(IEventStore? events = null, params SinkRegistration[] sinks) =>
        new(Store, events ?? Store, new SinkRouter(sinks), new ProcessorOptions { BatchSize = 16 });

    private async Task AppendAsync(params byte[][] bodies)
    {
        foreach (var body in bodies)
        {
            await Store.AppendAsync([new InboundDelivery(body, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(body))], Ct);
        }
    }

    private async Task<ProcessingResult> DrainAsync(DeliveryProcessor processor)
    {
        int stored = 0, duplicates = 0;
        for (var round = 0; round < 1000; round++)
        {
            var report = await processor.ProcessNextBatchAsync(Ct);
            stored += report.Stored;
            duplicates += report.Duplicates;
            if (report.Deliveries == 0)
            {
                return new ProcessingResult(stored, duplicates);
            }
        }

        throw new InvalidOperationException("The processor never caught up.");
    }

    [Fact]
    public async Task Every_example_payload_becomes_the_events_its_json_implies_once_each()
    {
        var names = ExamplePayloads.Names;
        var expected = names.Sum(n => ExpectedEvents.CountOf(ExamplePayloads.Read(n)));
        await AppendAsync([.. names.Select(ExamplePayloads.Read)]);

        var result = await DrainAsync(Processor());

        Assert.Equal(new ProcessingResult(expected, 0), result);
        var outcomes = await Store.ListDeliveryOutcomesAsync(1000, null, Ct);
        Assert.Equal(names.Count, outcomes.Count);
        Assert.All(outcomes, o => Assert.Null(o.ParseError));
        Assert.Empty(await Store.ReadUnprocessedAsync(10, Ct));
    }

    [Fact]
    public async Task The_same_delivery_twice_yields_its_events_once_and_counts_the_duplicates()
    {
        var body = ExamplePayloads.Read("messages-batched-mixed.json");
        await AppendAsync(body, body);

        var result = await DrainAsync(Processor());

        var events = ExpectedEvents.CountOf(body);
        Assert.Equal(new ProcessingResult(events, events), result);
        var outcomes = await Store.ListDeliveryOutcomesAsync(10, null, Ct);
        Assert.Equal([(0, events), (events, 0)], outcomes.Select(o => (o.Events, o.Duplicates)));
    }

    [Fact]
    public async Task The_same_message_in_two_different_deliveries_is_one_event()
    {
        var body = ExamplePayloads.Read("messages-text.json");
        var reformatted = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(body).RootElement);
        Assert.NotEqual(body, reformatted);
        await AppendAsync(body, reformatted);

        var result = await DrainAsync(Processor());

        Assert.Equal(new ProcessingResult(1, 1), result);
    }

    [Fact]
    public async Task Statuses_out_of_order_keep_the_highest_and_the_whole_timeline()
    {
        await AppendAsync(
            ExamplePayloads.Read("messages-status-read.json"),
            ExamplePayloads.Read("messages-status-sent-v23.json"));
        await DrainAsync(Processor());

        var history = await Store.GetMessageStatusAsync(StoryWamid, Ct);
        Assert.Equal("read", history!.Current);
        Assert.Equal([("read", true), ("sent", false)], history.Timeline.Select(t => (t.Status, t.Applied)));

        await AppendAsync(ExamplePayloads.Read("messages-status-played.json"), ExamplePayloads.Read("messages-status-failed.json"));
        await DrainAsync(Processor());
        history = await Store.GetMessageStatusAsync(StoryWamid, Ct);
        Assert.Equal("failed", history!.Current);
        Assert.Equal(4, history.Timeline.Count);
    }

    [Fact]
    public async Task An_unknown_field_and_an_unknown_message_type_become_unknown_events_with_their_raw_json()
    {
        var unknownField = """{"object":"whatsapp_business_account","entry":[{"id":"1","time":1767261601,"changes":[{"field":"brand_new_field","value":{"x":[1,2,3]}}]}]}"""u8.ToArray();
        var unknownType = """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[{"from":"3","id":"wamid.NEW","timestamp":"1767261601","type":"hologram","hologram":{"z":1}}]}}]}]}"""u8.ToArray();
        await AppendAsync(unknownField, unknownType);

        await DrainAsync(Processor());

        var events = await Store.ListEventsAsync(new EventQuery(), Ct);
        Assert.Equal(["messages.unknown", "unknown"], events.Select(e => e.Type));
        Assert.Equal("""{"x":[1,2,3]}""", Encoding.UTF8.GetString(events[1].RawJson.Span));
        Assert.Contains("\"hologram\":{\"z\":1}", Encoding.UTF8.GetString(events[0].RawJson.Span), StringComparison.Ordinal);
        Assert.Equal("brand_new_field", events[1].Field);
    }

    [Fact]
    public async Task A_delivery_that_does_not_parse_is_marked_and_does_not_stop_the_rest()
    {
        await AppendAsync("this is not json"u8.ToArray(), """{"object":"page","entry":[]}"""u8.ToArray(), ExamplePayloads.Read("messages-text.json"));

        var result = await DrainAsync(Processor());

        Assert.Equal(1, result.Stored);
        var outcomes = await Store.ListDeliveryOutcomesAsync(10, null, Ct);
        Assert.Null(outcomes[0].ParseError);
        Assert.StartsWith("UnexpectedObject", outcomes[1].ParseError, StringComparison.Ordinal);
        Assert.StartsWith("NotJson", outcomes[2].ParseError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_processor_that_dies_before_its_commit_resumes_with_no_loss_and_no_duplicate()
    {
        var names = ExamplePayloads.Names;
        await AppendAsync([.. names.Select(ExamplePayloads.Read)]);
        var expected = names.Sum(n => ExpectedEvents.CountOf(ExamplePayloads.Read(n)));

        // The first processor commits one batch, then dies while committing the second.
        var dying = new FailingCommitStore(Store, failOnCommit: 2);
        await Processor(dying).ProcessNextBatchAsync(Ct);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => Processor(dying).ProcessNextBatchAsync(Ct));

        var resumed = await DrainAsync(Processor());

        var stored = await Store.ListEventsAsync(new EventQuery { Limit = 10_000 }, Ct);
        Assert.Equal(expected, stored.Count);
        Assert.Equal(expected, stored.Select(e => e.Id).Distinct().Count());
        Assert.Equal(0, resumed.Duplicates);
    }

    [Fact]
    public async Task Sinks_get_work_only_for_the_events_their_filter_matches()
    {
        await AppendAsync(ExamplePayloads.Read("messages-batched-mixed.json"), ExamplePayloads.Read("account_update-deleted.json"));
        var statuses = new SinkRegistration("statuses", new EventFilter { Types = ["statuses.*"] });
        var accounts = new SinkRegistration("accounts", new EventFilter { Fields = ["account_update"] });

        await DrainAsync(Processor(null, statuses, accounts));

        var now = DateTimeOffset.UtcNow.AddMinutes(1);
        var statusWork = await Store.ClaimDueAsync("statuses", 100, now, TimeSpan.FromMinutes(1), Ct);
        var accountWork = await Store.ClaimDueAsync("accounts", 100, now, TimeSpan.FromMinutes(1), Ct);
        var events = (await Store.ListEventsAsync(new EventQuery { Limit = 100 }, Ct)).ToDictionary(e => e.Id);
        Assert.NotEmpty(statusWork);
        Assert.All(statusWork, w => Assert.StartsWith("statuses.", events[w.EventId].Type, StringComparison.Ordinal));
        Assert.Equal(events.Values.Count(e => e.Type.StartsWith("statuses.", StringComparison.Ordinal)), statusWork.Count);
        Assert.Equal("account_update", events[Assert.Single(accountWork).EventId].Field);
    }

    /// <summary>The real store, whose Nth commit throws before anything is written: a crash at the worst moment.</summary>
    private sealed class FailingCommitStore(IEventStore inner, int failOnCommit) : DelegatingEventStore(inner)
    {
        private int _commits;

        public override Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _commits) == failOnCommit
                ? throw new StoreUnavailableException("process killed")
                : base.CommitProcessedAsync(batch, cancellationToken);
    }
}
