using System.Text.Json;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.Cli.Tests.TestTraffic;

/// <summary>
/// <c>verify-endpoint</c> and <c>trigger</c> send made-up customer traffic. The gateway keeps it (marked) but hands it
/// to no handler or destination that did not opt in.
/// </summary>
public sealed class TestTrafficTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Verify_endpoint_and_trigger_all_reach_no_handler_or_destination_and_their_events_are_stored_with_the_test_mark()
    {
        using var dir = new TempDirectory();
        await using var destination = await DestinationServer.StartAsync();
        await using var gateway = await SinkGateway.StartAsync(dir.Path, destination, includeTestEvents: false);

        var accepted = await SendTestTrafficAsync(gateway);

        await Await.UntilAsync(() => gateway.AllProcessedAsync(accepted), done => done, $"all {accepted} deliveries processed", Bound);
        var events = await gateway.EventsAsync();
        Assert.True(events.Count >= accepted, $"{events.Count} events from {accepted} deliveries");
        Assert.All(events, e => Assert.True(e.IsTest, $"{e.Id} is marked test"));

        // Sink work is scheduled in the transaction that stores the event: with every delivery processed, no row means
        // nothing was, or will be, sent.
        Assert.Equal(0, await gateway.SinkWorkRowsAsync(SinkGateway.HandlerSink));
        Assert.Equal(0, await gateway.SinkWorkRowsAsync(SinkGateway.DestinationSink));
        Assert.Empty(gateway.Handled);
        Assert.Empty(destination.Received);

        // The operator sees them, marked, and can leave them out.
        var listed = await CliCommand.RunAsync("events", "list", "--data-dir", dir.Path, "--test", "--limit", "10000", "--json");
        Assert.True(listed.ExitCode == 0, listed.AllOutput());
        using var json = JsonDocument.Parse(listed.StandardOutput);
        Assert.Equal(events.Count, json.RootElement.GetArrayLength());
        Assert.All(json.RootElement.EnumerateArray(), e => Assert.True(e.GetProperty("test").GetBoolean()));
        var real = await CliCommand.RunAsync("events", "list", "--data-dir", dir.Path, "--no-test");
        Assert.True(real.ExitCode == 0, real.AllOutput());
        Assert.Contains("No events match.", real.StandardOutput, StringComparison.Ordinal);
        var table = await CliCommand.RunAsync("events", "list", "--data-dir", dir.Path, "--limit", "1");
        Assert.Contains("MARK", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(" test", table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_and_a_destination_that_include_test_events_receive_every_one()
    {
        using var dir = new TempDirectory();
        await using var destination = await DestinationServer.StartAsync();
        await using var gateway = await SinkGateway.StartAsync(dir.Path, destination, includeTestEvents: true);

        var accepted = await SendTestTrafficAsync(gateway);

        await Await.UntilAsync(() => gateway.AllProcessedAsync(accepted), done => done, $"all {accepted} deliveries processed", Bound);
        var stored = (await gateway.EventsAsync()).Select(e => e.Id).Order(StringComparer.Ordinal).ToList();
        Assert.True(stored.Count >= accepted, $"{stored.Count} events from {accepted} deliveries");
        await Await.UntilAsync(
            () => Task.FromResult(gateway.Handled.Select(h => h.EventId).Distinct().Count() >= stored.Count
                && destination.AcceptedKeys(meta: false).Distinct().Count() >= stored.Count),
            done => done,
            "every test event handled and forwarded",
            Bound);

        Assert.Equal(stored, gateway.Handled.Select(h => h.EventId).Distinct().Order(StringComparer.Ordinal));
        Assert.All(gateway.Handled, h => Assert.True(h.IsTest, $"{h.EventId} reaches the handler as a test"));
        Assert.Equal(stored, destination.AcceptedKeys(meta: false).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Runs <c>verify-endpoint --count 50</c> and <c>trigger --all</c> at the gateway; returns the deliveries it accepted.</summary>
    private static async Task<int> SendTestTrafficAsync(SinkGateway gateway)
    {
        var url = gateway.CallbackUrl.ToString();
        var verify = await CliCommand.RunAsync(
            "verify-endpoint", url, "--verify-token", SinkGateway.VerifyToken, "--app-secret", SinkGateway.AppSecret, "--count", "50");
        Assert.True(verify.ExitCode == 0, verify.AllOutput());
        var trigger = await CliCommand.RunAsync("trigger", "--all", "--url", url, "--app-secret", SinkGateway.AppSecret);
        Assert.True(trigger.ExitCode == 0, trigger.AllOutput());

        // One signed notification and the burst of 50 from verify-endpoint (its unsigned and forged posts are
        // refused), and one delivery per trigger line.
        var triggered = trigger.StandardOutput.Split('\n').Count(line => line.StartsWith("OK ", StringComparison.Ordinal));
        Assert.True(triggered > 50, trigger.StandardOutput);
        return 1 + 50 + triggered;
    }
}
