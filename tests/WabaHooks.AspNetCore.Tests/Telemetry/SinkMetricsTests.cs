using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Payloads;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using Dest = WabaHooks.AspNetCore.Tests.Destinations.Destinations;

namespace WabaHooks.AspNetCore.Tests.Telemetry;

public sealed class SinkMetricsTests
{
    [Fact]
    public async Task Destination_attempts_are_counted_and_timed_by_destination_and_status_class_and_the_circuit_changes_are_counted()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        // Two failures open the circuit; the probe after the pause succeeds and closes it.
        server.Respond = (_, n, _) => Task.FromResult<int?>(n <= 2 ? 503 : 200);
        await using var gateway = await Dest.StartGatewayAsync(
            dir.Path, Dest.Event("crm", server, d => { d.MaxConcurrency = 1; d.CircuitBreaker.FailureThreshold = 2; }));
        using var attempts = Metrics.Collect<long>(gateway, "wabahooks.destination.attempts");
        using var duration = Metrics.Collect<double>(gateway, "wabahooks.destination.attempt.duration");
        using var circuit = Metrics.Collect<long>(gateway, "wabahooks.destination.circuit.changes");

        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await Await.UntilAsync(() => Metrics.Sum(attempts, "wabahooks.attempt.outcome=success") == 1, "the success after two failures");

        Assert.Equal(2, Metrics.Sum(attempts, "wabahooks.destination=crm", "wabahooks.attempt.outcome=http_5xx"));
        Assert.Equal(3, Metrics.Sum(attempts, "wabahooks.destination=crm"));
        Assert.Equal(3, Metrics.Count(duration, "wabahooks.destination=crm"));
        Assert.All(duration.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 5));
        Assert.Equal(1, Metrics.Sum(circuit, "wabahooks.destination=crm", "wabahooks.circuit.state=open"));
        Assert.Equal(1, Metrics.Sum(circuit, "wabahooks.destination=crm", "wabahooks.circuit.state=closed"));
    }

    [Fact]
    public async Task A_destination_that_refuses_connections_is_counted_as_refused_and_its_dead_letters_by_destination()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await server.StopAsync();
        await using var gateway = await Dest.StartGatewayAsync(dir.Path, Dest.Meta("gone", server, d => d.Retry.Window = TimeSpan.FromMilliseconds(200)));
        using var attempts = Metrics.Collect<long>(gateway, "wabahooks.destination.attempts");
        using var dead = Metrics.Collect<long>(gateway, "wabahooks.destination.dead_letters");

        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await Await.UntilAsync(() => Metrics.Sum(dead) == 1, "the dead letter");

        Assert.Equal(1, Metrics.Sum(dead, "wabahooks.destination=gone"));
        // The backlog gauge reads the store when collected, and shows the dead letter from the read after it.
        using var backlog = Metrics.Collect<long>(gateway, "wabahooks.sink.backlog");
        await Await.UntilAsync(
            () =>
            {
                backlog.Clear();
                backlog.RecordObservableInstruments();
                return Metrics.Sum(backlog, "wabahooks.sink=destination:gone", "wabahooks.backlog.state=dead") == 1;
            },
            "the dead letter in the backlog gauge");
        Assert.Equal(0, Metrics.Sum(backlog, "wabahooks.sink=destination:gone", "wabahooks.backlog.state=pending"));
        Assert.True(Metrics.Sum(attempts, "wabahooks.destination=gone", "wabahooks.attempt.outcome=refused") >= 1);
        Assert.Equal(Metrics.Sum(attempts), Metrics.Sum(attempts, "wabahooks.attempt.outcome=refused"));
    }

    [Fact]
    public async Task The_backlog_gauges_show_what_waits_for_a_destination_that_is_down_and_for_how_long()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await server.StopAsync();
        await using var gateway = await Dest.StartGatewayAsync(dir.Path, Dest.Meta("down", server));
        using var backlog = Metrics.Collect<long>(gateway, "wabahooks.sink.backlog");
        using var age = Metrics.Collect<double>(gateway, "wabahooks.sink.oldest_pending.age");

        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await gateway.PostAsync(ExamplePayloads.Read("messages-image.json"));
        await Await.UntilAsync(
            () =>
            {
                backlog.Clear();
                backlog.RecordObservableInstruments();
                return Metrics.Sum(backlog, "wabahooks.sink=destination:down", "wabahooks.backlog.state=pending") == 2;
            },
            "two events pending in the backlog gauge");
        Assert.Equal(0, Metrics.Sum(backlog, "wabahooks.sink=destination:down", "wabahooks.backlog.state=dead"));

        age.RecordObservableInstruments();
        Assert.Contains(age.GetMeasurementSnapshot(), m => Equals(m.Tags["wabahooks.sink"], "destination:down") && m.Value > 0);
    }

    [Fact]
    public async Task Handler_invocations_are_counted_and_timed_by_handler_and_outcome()
    {
        using var dir = new TempDirectory();
        var calls = 0;
        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            o =>
            {
                o.Handlers.PollInterval = TimeSpan.FromMilliseconds(20);
                o.Handlers.BaseDelay = TimeSpan.FromMilliseconds(10);
                o.Handlers.MaxDelay = TimeSpan.FromMilliseconds(50);
            },
            hooks => hooks.On<TextMessage>(
                (_, _) => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("first time fails") : Task.CompletedTask,
                "texts"));
        using var invocations = Metrics.Collect<long>(gateway, "wabahooks.handler.invocations");
        using var duration = Metrics.Collect<double>(gateway, "wabahooks.handler.duration");

        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await Await.UntilAsync(() => Metrics.Sum(invocations, "wabahooks.attempt.outcome=success") == 1, "the retry that succeeds");

        Assert.Equal(1, Metrics.Sum(invocations, "wabahooks.handler=texts", "wabahooks.attempt.outcome=failure"));
        Assert.Equal(1, Metrics.Sum(invocations, "wabahooks.handler=texts", "wabahooks.attempt.outcome=success"));
        Assert.Equal(2, Metrics.Count(duration, "wabahooks.handler=texts"));
    }
}
