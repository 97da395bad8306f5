using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Payloads;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using Dest = WabaHooks.AspNetCore.Tests.Destinations.Destinations;

namespace WabaHooks.AspNetCore.Tests.Telemetry;

public sealed class TraceTests
{
    [Fact]
    public async Task A_delivery_gives_a_receive_span_under_the_request_a_processing_span_and_a_send_span_linked_to_it_whose_traceparent_reaches_the_destination()
    {
        using var activities = new ActivityCollector();
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await Dest.StartGatewayAsync(dir.Path, Dest.Event("crm", server));
        // The caller's trace: ASP.NET Core's server span continues it, and the receive span is that span's child.
        var callerTrace = ActivityTraceId.CreateRandom();
        var body = ExamplePayloads.Read("messages-text.json");
        using var request = TestGateway.SignedPost(body);
        request.Headers.Add("traceparent", $"00-{callerTrace}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await gateway.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await Await.UntilAsync(
            () => Receive(activities, callerTrace) is { } r
                && activities.LinkedTo(r.Context) is var linked
                && linked.Any(a => a.DisplayName == "send crm") && linked.Any(a => a.DisplayName == "wabahooks process"),
            "the processing and send spans");

        var receive = Receive(activities, callerTrace)!;
        var serverSpan = Assert.Single(activities.Stopped, a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == callerTrace);
        Assert.Equal(serverSpan.SpanId, receive.ParentSpanId);
        Assert.Equal(1L, receive.GetTagItem("wabahooks.delivery.id"));
        Assert.Equal("app-a", receive.GetTagItem("wabahooks.app.id"));

        var linked = activities.LinkedTo(receive.Context);
        var processing = Assert.Single(linked, a => a.DisplayName == "wabahooks process");
        Assert.Equal(1, processing.GetTagItem("wabahooks.deliveries.count"));

        var send = Assert.Single(linked, a => a.DisplayName == "send crm");
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal("wabahooks", send.GetTagItem("messaging.system"));
        Assert.Equal("send", send.GetTagItem("messaging.operation.type"));
        Assert.Equal("crm", send.GetTagItem("messaging.destination.name"));
        var eventId = Assert.Single(server.Received).Header("webhook-id");
        Assert.Equal(eventId, send.GetTagItem("messaging.message.id"));
        Assert.Equal(ActivityStatusCode.Unset, send.Status);

        // The destination's request carries the send span's trace, through HttpClient's own span under the send span:
        // the destination's server span continues the trace.
        var traceParent = server.Received[0].Header("traceparent");
        var httpClient = Assert.Single(activities.Stopped, a => a.Source.Name == "System.Net.Http" && a.ParentSpanId == send.SpanId);
        Assert.Equal($"00-{send.TraceId}-{httpClient.SpanId}-01", traceParent);
    }

    [Fact]
    public async Task A_handler_runs_inside_a_process_span_with_the_messaging_attributes_linked_to_the_receive_span()
    {
        using var activities = new ActivityCollector();
        using var dir = new TempDirectory();
        var current = new TaskCompletionSource<(ActivityTraceId Trace, ActivitySpanId Span, string EventId)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            options => options.Handlers.PollInterval = TimeSpan.FromMilliseconds(20),
            hooks => hooks.On<TextMessage>(
                (e, ct) =>
                {
                    current.TrySetResult((Activity.Current?.TraceId ?? default, Activity.Current?.SpanId ?? default, e.EventId));
                    return Task.CompletedTask;
                },
                name: "texts"));
        var callerTrace = ActivityTraceId.CreateRandom();
        using var request = TestGateway.SignedPost(ExamplePayloads.Read("messages-text.json"));
        request.Headers.Add("traceparent", $"00-{callerTrace}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await gateway.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var (trace, span, eventId) = await Await.Within(current);
        await Await.UntilAsync(
            () => Receive(activities, callerTrace) is { } r && activities.LinkedTo(r.Context).Any(a => a.SpanId == span), "the handler's span to stop");

        var process = Assert.Single(activities.Stopped, a => a.SpanId == span);
        Assert.Equal(trace, process.TraceId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal("wabahooks", process.GetTagItem("messaging.system"));
        Assert.Equal("process", process.GetTagItem("messaging.operation.type"));
        Assert.Equal($"process {process.GetTagItem("messaging.destination.name")}", process.DisplayName);
        Assert.Contains("texts", (string)process.GetTagItem("messaging.destination.name")!, StringComparison.Ordinal);
        Assert.Equal(eventId, process.GetTagItem("messaging.message.id"));
    }

    private static Activity? Receive(ActivityCollector activities, ActivityTraceId trace) =>
        activities.Stopped.FirstOrDefault(a => a.DisplayName == "wabahooks receive" && a.TraceId == trace);
}
