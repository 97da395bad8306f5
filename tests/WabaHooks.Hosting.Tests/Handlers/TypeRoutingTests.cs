using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Events;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Hosting.Tests.Support;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Handlers;

/// <summary>
/// Typed handlers are routed on event type names: an event whose type cannot carry the handler's payload gets no sink
/// work for it and is not deserialised to find out; the events that can are each handed over once.
/// </summary>
public sealed class TypeRoutingTests
{
    private const string TextHandler = "handler:On<TextMessage,TextRecorder>";

    [Fact]
    public async Task An_On_TextMessage_handler_has_sink_work_only_for_text_messages_and_gets_every_one_of_them()
    {
        using var dir = new TempDirectory();
        byte[][] bodies =
        [
            Notifications.Example("messages-text.json"),
            Notifications.Example("messages-image.json"),
            Notifications.Example("messages-status-delivered.json"),
            Notifications.Example("messages-batched-mixed.json"),
            Notifications.Example("messages-value-errors.json"),
            Notifications.Example("account_update-disabled.json"),
            Notifications.UnknownMessage("wamid.routing-unknown"),
            Notifications.MalformedText("wamid.routing-malformed"),
            Notifications.Example("messages-text-forwarded.json"),
        ];
        var events = bodies.SelectMany(Notifications.EventsOf).ToList();
        var texts = events.Where(e => e.Type == "messages.text" && !e.Id.Contains("routing-malformed", StringComparison.Ordinal)).Select(e => e.Id).Distinct().ToList();
        Assert.True(texts.Count >= 3, "the bodies hold several text messages");
        Assert.True(events.Count > texts.Count + 6, "and many events of other types");

        await ReceivingProcess.AppendAsync(dir.Path, bodies);
        await using var worker = await Worker.StartAsync(dir.Path, hooks => hooks.On<TextMessage, TextRecorder>(), s => s.AddSingleton<Received>());
        await worker.WaitUntilProcessedAsync(bodies.Length);
        var received = worker.Services.GetRequiredService<Received>();
        var done = await WabaHooks.Testing.Await.UntilAsync(() => worker.BacklogAsync(TextHandler), b => b.Done == texts.Count, "every text message handled");

        // Every work row the handler has is one of the text messages: none for the other events, nor for the text
        // whose JSON does not fit TextMessage.
        Assert.Equal((0L, 0L), (done.Pending, done.Dead));
        Assert.Equal(texts.Order(StringComparer.Ordinal), received.EventIds(TextHandler).Order(StringComparer.Ordinal));
        Assert.All(received.Payloads(TextHandler), p => Assert.IsType<TextMessage>(p));
    }

    [Fact]
    public async Task Messages_and_fields_the_model_does_not_know_reach_the_handlers_of_their_fallback_types_and_no_others()
    {
        using var dir = new TempDirectory();
        byte[][] bodies =
        [
            Notifications.UnknownMessage("wamid.fallback-unknown"),
            Notifications.Example("messages-text.json"),
            Notifications.UnknownField("some_future_field"),
            Notifications.Example("account_update-disabled.json"),
            Notifications.Example("messages-status-read.json"),
        ];
        var events = bodies.SelectMany(Notifications.EventsOf).ToList();
        var unknownMessage = Assert.Single(events, e => e.Type == WabaEventTypes.MessagesUnknown).Id;
        var unknownField = Assert.Single(events, e => e.Type == WabaEventTypes.Unknown).Id;
        var messages = events.Where(e => e.Type.StartsWith("messages.", StringComparison.Ordinal)).Select(e => e.Id).Distinct().Order(StringComparer.Ordinal).ToList();

        await ReceivingProcess.AppendAsync(dir.Path, bodies);
        await using var worker = await Worker.StartAsync(
            dir.Path,
            hooks => hooks.On<UnknownMessage, UnknownMessageRecorder>().On<InboundMessage, MessageRecorder>().On<UnknownFieldValue, UnknownFieldRecorder>(),
            s => s.AddSingleton<Received>());
        await worker.WaitUntilProcessedAsync(bodies.Length);
        var received = worker.Services.GetRequiredService<Received>();
        await WabaHooks.Testing.Await.UntilAsync(
            async () => (await worker.BacklogAsync("handler:On<UnknownMessage,UnknownMessageRecorder>")).Done == 1
                && (await worker.BacklogAsync("handler:On<InboundMessage,MessageRecorder>")).Done == messages.Count
                && (await worker.BacklogAsync("handler:On<UnknownFieldValue,UnknownFieldRecorder>")).Done == 1,
            "each handler's events handled");

        Assert.Equal([unknownMessage], received.EventIds("handler:On<UnknownMessage,UnknownMessageRecorder>"));
        Assert.Equal(messages, received.EventIds("handler:On<InboundMessage,MessageRecorder>").Order(StringComparer.Ordinal));
        Assert.Equal([unknownField], received.EventIds("handler:On<UnknownFieldValue,UnknownFieldRecorder>"));
        Assert.Equal("some_future_field", Assert.IsType<UnknownFieldValue>(Assert.Single(received.Payloads("handler:On<UnknownFieldValue,UnknownFieldRecorder>"))).Field);
        foreach (var sink in new[] { "handler:On<UnknownMessage,UnknownMessageRecorder>", "handler:On<InboundMessage,MessageRecorder>", "handler:On<UnknownFieldValue,UnknownFieldRecorder>" })
        {
            var backlog = await worker.BacklogAsync(sink);
            Assert.Equal((0L, 0L), (backlog.Pending, backlog.Dead));
        }
    }

    [Fact]
    public async Task Call_handlers_get_the_connects_and_call_statuses_of_calls_deliveries_and_nothing_else()
    {
        using var dir = new TempDirectory();
        byte[][] bodies =
        [
            Notifications.Example("calls-connect-user-initiated.json"),
            Notifications.Example("calls-connect-business-initiated.json"),
            Notifications.Example("calls-status-ringing.json"),
            Notifications.Example("calls-status-accepted.json"),
            Notifications.Example("calls-terminate-with-errors.json"),
            Notifications.Example("calls-recording-available.json"),
            Notifications.Example("messages-status-read.json"),
            Notifications.Example("messages-text.json"),
        ];
        var events = bodies.SelectMany(Notifications.EventsOf).ToList();
        var connects = events.Where(e => e.Type == WabaEventTypes.CallsConnect).Select(e => e.Id).Order(StringComparer.Ordinal).ToList();
        var statuses = events.Where(e => e.Type.StartsWith("calls.statuses.", StringComparison.Ordinal)).Select(e => e.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal((2, 2), (connects.Count, statuses.Count));

        await ReceivingProcess.AppendAsync(dir.Path, bodies);
        await using var worker = await Worker.StartAsync(
            dir.Path,
            hooks => hooks.On<CallConnect, CallConnectRecorder>().On<CallStatus, CallStatusRecorder>(),
            s => s.AddSingleton<Received>());
        await worker.WaitUntilProcessedAsync(bodies.Length);
        var received = worker.Services.GetRequiredService<Received>();
        await WabaHooks.Testing.Await.UntilAsync(
            async () => (await worker.BacklogAsync("handler:On<CallConnect,CallConnectRecorder>")).Done == 2
                && (await worker.BacklogAsync("handler:On<CallStatus,CallStatusRecorder>")).Done == 2,
            "every connect and call status handled");

        Assert.Equal(connects, received.EventIds("handler:On<CallConnect,CallConnectRecorder>").Order(StringComparer.Ordinal));
        Assert.Equal(statuses, received.EventIds("handler:On<CallStatus,CallStatusRecorder>").Order(StringComparer.Ordinal));
        Assert.All(received.Payloads("handler:On<CallConnect,CallConnectRecorder>"), p => Assert.NotNull(Assert.IsType<CallConnect>(p).Session));
    }

    [Fact]
    public void Routing_reads_the_payload_only_of_events_whose_type_can_carry_the_handlers_payload()
    {
        var services = new ServiceCollection();
        services.AddWabaHooks(_ => { }).On<TextMessage>(static (_, _) => Task.CompletedTask);
        var registered = services.Select(d => d.ImplementationInstance).OfType<SinkRegistration>().Single();
        var asked = new List<string>();
        var original = registered.Filter.Predicate!;
        var router = new SinkRouter([registered with { Filter = registered.Filter with { Predicate = e => { asked.Add(e.Type); return original(e); } } }]);
        var events = new[] { "messages-batched-mixed.json", "messages-image.json", "messages-status-read.json", "account_update-disabled.json", "messages-text.json" }
            .SelectMany(name => DeliverySplitter.Split(ExamplePayloads.Read(name), 1).Events)
            .ToList();

        var routed = events.Where(e => router.Route(e).Count > 0).ToList();

        // The predicate is the only part of the filter that reads the payload.
        Assert.All(asked, type => Assert.Equal("messages.text", type));
        Assert.Equal(events.Count(e => e.Type == "messages.text"), asked.Count);
        Assert.Equal(events.Where(e => e.Payload is TextMessage), routed);
    }

    [Fact]
    public void A_handler_of_a_payload_type_no_event_carries_is_rejected_when_registered()
    {
        var hooks = new ServiceCollection().AddWabaHooks(_ => { });

        var error = Assert.Throws<ArgumentException>(() => hooks.On<string>(static (_, _) => Task.CompletedTask));

        Assert.Contains("No event's payload is a String", error.Message, StringComparison.Ordinal);
    }
}
