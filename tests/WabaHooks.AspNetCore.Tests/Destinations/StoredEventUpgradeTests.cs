using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Text.Json;
using WabaHooks.Destinations;
using WabaHooks.Events;
using WabaHooks.Hosting;
using WabaHooks.Inbox;
using WabaHooks.Payloads;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

/// <summary>
/// Work left pending by an older release, whose splitter keyed or cut deliveries differently: dispatch rebuilds the
/// stored events from their locators, so each still goes out as stored, never dead-lettered as "no longer yields".
/// The store is filled through its own API as that release would have filled it, then a gateway starts on it.
/// </summary>
public sealed class StoredEventUpgradeTests
{
    private const string Handler = "handler:everything";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Work_for_events_the_current_splitter_no_longer_yields_reaches_destinations_and_handlers_with_the_stored_bytes()
    {
        using var dir = new TempDirectory();
        await using var meta = await DestinationServer.StartAsync();
        await using var standard = await DestinationServer.StartAsync();
        var body = ExamplePayloads.Read("messages-text.json");
        Delivery? seeded = null;
        // The older release's view of this delivery: the message under a key scheme of its own, and the whole change
        // as one more event, which the current splitter does not give.
        await SeedAsync(dir.Path, body, delivery =>
        {
            seeded = delivery;
            var message = Assert.Single(DeliverySplitter.Split(delivery).Events);
            var change = WholeChange(delivery, position: 1);
            return
            [
                Stored(message, "v0:message", delivery, 2),
                Stored(change, "v0:change", delivery, 2),
            ];
        });
        var handled = new ConcurrentDictionary<string, WabaEvent>();

        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            o => o.Handlers.PollInterval = Destinations.PollInterval,
            hooks =>
            {
                hooks.AddDestination(Destinations.Meta("crm", meta));
                hooks.AddDestination(Destinations.Event("analytics", standard));
                hooks.On<object>((context, _) =>
                {
                    handled[context.EventId] = context.Event;
                    return Task.CompletedTask;
                }, name: Handler);
            });
        await meta.WaitUntilAsync(r => r.Count >= 1, Bound, "the delivery in Meta's format");
        await standard.WaitUntilAsync(r => r.Count >= 2, Bound, "one request per stored event");
        await Await.UntilAsync(() => handled.Count == 2, "both stored events handled");

        // Both stored events are the whole delivery as the older release split it: its bytes go out as received.
        Assert.Equal(body, Assert.Single(meta.Received).Body);
        var byKey = standard.Received.ToDictionary(Received.KeyOfEvent);
        Assert.Equal(["v0:change", "v0:message"], byKey.Keys.Order());
        Assert.Equal(("messages.text", Slice(seeded!, "v0:message")), TypeAndPayload(byKey["v0:message"]));
        Assert.Equal(("messages.legacy_change", Slice(seeded!, "v0:change")), TypeAndPayload(byKey["v0:change"]));
        Assert.IsType<TextMessage>(handled["v0:message"].Payload);
        Assert.Equal("messages.legacy_change", handled["v0:change"].Type);
        Assert.Equal(WholeChange(seeded!, 1).RawJson.ToArray(), handled["v0:change"].RawJson.ToArray());
        Assert.Empty(await gateway.Store.ListDeadLettersAsync(null, 10, Ct));
    }

    [Fact]
    public async Task Work_stored_before_locators_is_found_by_splitting_its_delivery_as_before()
    {
        using var dir = new TempDirectory();
        await using var standard = await DestinationServer.StartAsync();
        var body = ExamplePayloads.Read("messages-text.json");
        string? key = null;
        await SeedAsync(dir.Path, body, delivery =>
        {
            var e = Assert.Single(DeliverySplitter.Split(delivery).Events);
            key = e.Id;
            return
            [
                Stored(e, e.Id, delivery, 0) with { Locator = default },
                Stored(WholeChange(delivery, 1), "v0:change", delivery, 0) with { Locator = default },
            ];
        });

        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Event("analytics", standard));
        await standard.WaitUntilAsync(r => r.Count >= 1, Bound, "the event the split still yields");
        var dead = await Await.UntilAsync(() => gateway.Store.ListDeadLettersAsync(null, 10, Ct), d => d.Count == 1, "the event it does not");

        Assert.Equal(key, Received.KeyOfEvent(Assert.Single(standard.Received)));
        Assert.Equal("v0:change", dead[0].EventId);
        Assert.Contains("no longer yields event v0:change", dead[0].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_meta_destination_taking_a_whole_delivery_sends_the_stored_bytes_without_parsing_them()
    {
        using var dir = new TempDirectory();
        await using var meta = await DestinationServer.StartAsync();
        await using var standard = await DestinationServer.StartAsync();
        var valid = ExamplePayloads.Read("messages-batched-mixed.json");
        // Bytes after the envelope: a splitter that reads the whole body now rejects it, yet its events were stored
        // earlier, each a slice of the envelope.
        byte[] body = [.. valid, .. "\n]"u8];
        Assert.False(DeliverySplitter.Split(body, 0).IsSuccess);
        var count = 0;
        await SeedAsync(dir.Path, body, delivery =>
        {
            var split = DeliverySplitter.Split(delivery.Body[..valid.Length], delivery.Id).Events;
            count = split.Count;
            return [.. split.Select(e => Stored(e, e.Id, delivery, split.Count))];
        });
        Assert.True(count > 1);

        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Meta("crm", meta), Destinations.Event("analytics", standard));
        await meta.WaitUntilAsync(r => r.Count >= 1, Bound, "the delivery in Meta's format");
        await standard.WaitUntilAsync(r => r.Count >= count, Bound, "one request per stored event");

        Assert.Equal(body, Assert.Single(meta.Received).Body);
        Assert.Equal(count, standard.Received.Select(Received.KeyOfEvent).Distinct().Count());
    }

    [Fact]
    public async Task A_meta_destination_taking_part_of_a_delivery_stored_under_another_split_gets_it_narrowed_by_the_stored_positions()
    {
        using var dir = new TempDirectory();
        await using var meta = await DestinationServer.StartAsync();
        var body = ExamplePayloads.Read("messages-batched-mixed.json");
        // The older release's view: the same slices under keys of its own, so the current split finds none of them;
        // the destination takes the message and the second status, not the first status.
        await SeedAsync(dir.Path, body, delivery =>
        {
            var split = DeliverySplitter.Split(delivery).Events;
            Assert.Equal([WabaEventKind.Message, WabaEventKind.Status, WabaEventKind.Status], split.Select(e => e.Kind));
            return
            [
                Stored(split[0], "v0:message", delivery, split.Count, ["destination:crm"]),
                Stored(split[1], "v0:status-1", delivery, split.Count, []),
                Stored(split[2], "v0:status-2", delivery, split.Count, ["destination:crm"]),
            ];
        });
        // What the narrowing against a split gives when the split agrees; with the stored keys it has none to match.
        var current = DeliverySplitter.Split(body, 1).Events;
        var expected = MetaEnvelope.Narrow(body, current, [current[0], current[2]]).ToArray();
        Assert.DoesNotContain(current, e => e.Id.StartsWith("v0:", StringComparison.Ordinal));

        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Meta("crm", meta));
        await meta.WaitUntilAsync(r => r.Count >= 1, Bound, "the delivery narrowed to the destination's events");
        await Await.UntilAsync(
            async () => (await gateway.Store.ListAttemptsAsync("v0:status-2", "destination:crm", Ct)).Any(a => a.Succeeded),
            "the narrowed request recorded as delivered");

        Assert.Equal(expected, Assert.Single(meta.Received).Body);
        Assert.Empty(await gateway.Store.ListDeadLettersAsync(null, 10, Ct));
    }

    /// <summary>Appends <paramref name="body"/> and stores what <paramref name="events"/> makes of it, as a release before this one did.</summary>
    private static async Task SeedAsync(string dataDir, byte[] body, Func<Delivery, IReadOnlyList<NewEvent>> events)
    {
        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = Path.Combine(dataDir, "wabahooks.db") });
        await store.InitializeAsync(Ct);
        var id = (await store.AppendAsync([new InboundDelivery(body, TimeProvider.System.GetUtcNow(), "app-a", DeliveryClassifier.Classify(body))], Ct))[0];
        var delivery = (await store.GetAsync(id, Ct))!;
        await store.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(id, null, events(delivery))]), Ct);
    }

    /// <summary>An event stored under <paramref name="key"/> for every sink of these tests, with its locator.</summary>
    private static NewEvent Stored(WabaEvent e, string key, Delivery delivery, int eventsInDelivery) =>
        Stored(e, key, delivery, eventsInDelivery, ["destination:crm", "destination:analytics", Handler]);

    /// <summary>An event stored under <paramref name="key"/> for <paramref name="sinks"/>, with its locator.</summary>
    private static NewEvent Stored(WabaEvent e, string key, Delivery delivery, int eventsInDelivery, string[] sinks) =>
        new(key, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.RawJson.ToArray(), null, sinks)
        {
            Locator = StoredEvents.Locate(e, delivery.Body.Span, eventsInDelivery),
        };

    /// <summary>The first change's whole value as one event, the way an older splitter could have cut it.</summary>
    private static WabaEvent WholeChange(Delivery delivery, int position)
    {
        var reader = new Utf8JsonReader(delivery.Body.Span);
        while (reader.Read() && !(reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("value"u8)))
        {
        }

        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var message = DeliverySplitter.Split(delivery).Events[0];
        return new WabaEvent
        {
            Id = "v0:change",
            Type = "messages.legacy_change",
            Kind = WabaEventKind.Change,
            Field = message.Field,
            WabaId = message.WabaId,
            PhoneNumberId = message.PhoneNumberId,
            DeliveryId = delivery.Id,
            Position = position,
            Payload = new object(),
            RawJson = delivery.Body[start..(int)reader.BytesConsumed],
        };
    }

    /// <summary>The stored event's bytes, as text so a pair of them compares by value.</summary>
    private static string Slice(Delivery delivery, string key) => System.Text.Encoding.UTF8.GetString(key == "v0:change"
        ? WholeChange(delivery, 1).RawJson.Span
        : DeliverySplitter.Split(delivery).Events[0].RawJson.Span);

    private static (string Type, string Payload) TypeAndPayload(ReceivedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return (json.RootElement.GetProperty("type").GetString()!, json.RootElement.GetProperty("data").GetProperty("payload").GetRawText());
    }
}
