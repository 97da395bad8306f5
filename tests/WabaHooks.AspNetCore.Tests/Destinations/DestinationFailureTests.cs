using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class DestinationFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_destination_that_fails_several_times_then_recovers_gets_everything_and_every_attempt_is_recorded()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, n, _) => Task.FromResult<int?>(n <= 4 ? 500 : 200);
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Event("recovering", server, d => d.MaxConcurrency = 1));
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Handlers.Payload.MessageKey(body);

        await gateway.PostAsync(body);
        await server.WaitUntilAsync(r => r.Any(x => x.Status == 200), Bound, "the recovery");

        await WaitForAttemptsAsync(gateway, key, "destination:recovering", 5);
        var attempts = await gateway.Store.ListAttemptsAsync(key, "destination:recovering", Ct);
        Assert.Equal([1, 2, 3, 4, 5], attempts.Select(a => a.Number));
        Assert.All(attempts.Take(4), a => Assert.Equal((500, false, "failing with 500"), (a.StatusCode!.Value, a.Succeeded, a.ResponseHead!)));
        Assert.All(attempts.Take(4), a => Assert.StartsWith("HTTP 500", a.Error, StringComparison.Ordinal));
        Assert.True(attempts[4].Succeeded);
        Assert.Equal(200, attempts[4].StatusCode);
        Assert.All(attempts, a => Assert.True(a.Duration > TimeSpan.Zero));
    }

    [Fact]
    public async Task A_destination_down_for_a_while_gets_everything_once_it_is_back()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await server.StopAsync();
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Meta("down", server));
        var bodies = new[] { "messages-text.json", "messages-image.json", "messages-status-read.json", "account_update-volume-tier.json" }.Select(ExamplePayloads.Read).ToList();
        foreach (var body in bodies)
        {
            await gateway.PostAsync(body);
        }

        var keys = bodies.SelectMany(b => Events.DeliverySplitter.Split(b, 0).Events).Select(e => e.Id).ToList();
        await Await.UntilAsync(
            async () => (await gateway.Store.ListAttemptsAsync(keys[0], "destination:down", Ct)).Count >= 2,
            "failed attempts while the destination is down");
        var refused = await gateway.Store.ListAttemptsAsync(keys[0], "destination:down", Ct);
        Assert.All(refused, a => Assert.Null(a.StatusCode));
        Assert.All(refused, a => Assert.Contains("refused", a.Error, StringComparison.OrdinalIgnoreCase));

        await server.StartAgainAsync();
        await server.WaitUntilAsync(_ => Received.Accepted(server, meta: true).Distinct().Count() == keys.Count, Bound, "everything after the destination came back");
        Assert.Equal(keys.Order(), Received.Accepted(server, meta: true).Distinct().Order());
    }

    [Fact]
    public async Task A_destination_that_hangs_fails_at_its_timeout_without_delaying_another_destination()
    {
        using var dir = new TempDirectory();
        await using var hanging = await DestinationServer.StartAsync();
        await using var healthy = await DestinationServer.StartAsync();
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hanging.Respond = (_, n, _) =>
        {
            hung.TrySetResult();
            return Task.FromResult<int?>(n == 1 ? null : 200);
        };
        await using var gateway = await Destinations.StartGatewayAsync(
            dir.Path,
            Destinations.Meta("hanging", hanging, d => d.Timeout = TimeSpan.FromSeconds(2)),
            Destinations.Meta("healthy", healthy));
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Handlers.Payload.MessageKey(body);

        await gateway.PostAsync(body);
        await hung.Task.WaitAsync(Bound, Ct);
        // The healthy destination gets the event while the other one still hangs.
        await healthy.WaitUntilAsync(r => r.Count == 1, TimeSpan.FromSeconds(1.5), "the healthy destination, during the other's hang");
        Assert.Empty(await gateway.Store.ListAttemptsAsync(key, "destination:hanging", Ct));

        await hanging.WaitUntilAsync(r => r.Any(x => x.Status == 200), Bound, "the retry after the timeout");
        await WaitForAttemptsAsync(gateway, key, "destination:hanging", 2);
        var attempts = await gateway.Store.ListAttemptsAsync(key, "destination:hanging", Ct);
        Assert.Equal("timed out after 2 s", attempts[0].Error);
        Assert.Null(attempts[0].StatusCode);
        Assert.InRange(attempts[0].Duration, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(10));
        Assert.True(attempts[1].Succeeded);
    }

    [Fact]
    public async Task A_destination_answering_4xx_is_retried_through_its_window_then_dead_lettered_and_a_dead_letter_retry_delivers_it()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        var status = 400;
        server.Respond = (_, _, _) => Task.FromResult<int?>(Volatile.Read(ref status));
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Event("rejecting", server, d => d.Retry.Window = TimeSpan.FromSeconds(2)));
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Handlers.Payload.MessageKey(body);

        await gateway.PostAsync(body);
        await Await.UntilAsync(async () => (await gateway.Store.ListDeadLettersAsync("destination:rejecting", 10, Ct)).Count == 1, "the dead letter");

        var attempts = await gateway.Store.ListAttemptsAsync(key, "destination:rejecting", Ct);
        var dead = Assert.Single(await gateway.Store.ListDeadLettersAsync("destination:rejecting", 10, Ct));
        Assert.Equal(key, dead.EventId);
        Assert.Equal(SinkWorkState.Dead, dead.State);
        Assert.All(attempts, a => Assert.Equal(400, a.StatusCode));

        // Retried until the window ended, and dead-lettered only by an attempt that ended at or after its end
        // (times are stored to the millisecond).
        var windowEnd = dead.ScheduledAt + TimeSpan.FromSeconds(2);
        var lastEnded = attempts[^1].StartedAt + attempts[^1].Duration;
        Assert.True(lastEnded >= windowEnd.AddMilliseconds(-2), $"last attempt ended {lastEnded:O}, window end {windowEnd:O}");
        Assert.All(attempts.SkipLast(1), a => Assert.True(a.StartedAt < windowEnd));
        if (attempts[0].StartedAt < windowEnd.AddSeconds(-1))
        {
            Assert.True(attempts.Count >= 2, $"retried within the window ({attempts.Count} attempts)");
        }

        Volatile.Write(ref status, 204);
        Assert.Equal(1, await gateway.Store.RetryDeadLettersAsync("destination:rejecting", DateTimeOffset.UtcNow, Ct));
        await server.WaitUntilAsync(r => r.Any(x => x.Status == 204), Bound, "the retried dead letter");
        Assert.Equal(key, Received.KeyOfEvent(server.Received.Single(r => r.Status == 204)));
    }

    [Fact]
    public async Task A_destination_that_keeps_failing_is_paused_and_then_probed_with_a_single_request()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(503);
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Event("broken", server, d =>
        {
            d.MaxConcurrency = 1;
            d.CircuitBreaker.FailureThreshold = 3;
            d.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(2);
            d.CircuitBreaker.MaxBreakDuration = TimeSpan.FromSeconds(4);
            d.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            d.Retry.MaxDelay = TimeSpan.FromMilliseconds(1);
        }));
        foreach (var n in Enumerable.Range(0, 5))
        {
            await gateway.PostAsync(Handlers.Payload.WithWamid("messages-text.json", $"wamid.breaker-{n}"));
        }

        await server.WaitUntilAsync(r => r.Count >= 3, Bound, "the failures that open the circuit");
        var opened = DateTimeOffset.UtcNow;
        // The server records the third request before the gateway has read its answer: wait for the gateway's verdict.
        var ready = default(System.Text.Json.JsonElement);
        await Await.UntilAsync(async () => (ready = await ReadyDestinationAsync(gateway)).GetProperty("circuit").GetString() == "open", "readiness to show the circuit open");
        Assert.Equal("broken", ready.GetProperty("name").GetString());
        Assert.True(ready.GetProperty("pausedUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        // Without the breaker, retries 1 ms apart would send hundreds of requests in this second.
        await Task.Delay(1000, Ct);
        if (DateTimeOffset.UtcNow - opened < TimeSpan.FromSeconds(1.9))
        {
            Assert.Equal(3, server.Received.Count);
        }

        await server.WaitUntilAsync(r => r.Count >= 4, Bound, "the probe after the pause");
        var probeGap = server.Received[3].At - server.Received[2].At;
        Assert.True(probeGap >= TimeSpan.FromSeconds(1.9), $"the probe came {probeGap} after the third failure");
        Assert.Contains(gateway.Logs.Lines, m => m.Contains("Destination broken paused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_shows_a_healthy_destination_with_its_circuit_closed()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Meta("crm", server));
        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await server.WaitUntilAsync(r => r.Count == 1, Bound, "the forwarded delivery");

        var ready = await ReadyDestinationAsync(gateway);

        Assert.Equal(("crm", "closed"), (ready.GetProperty("name").GetString(), ready.GetProperty("circuit").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, ready.GetProperty("pausedUntil").ValueKind);
    }

    private static async Task<System.Text.Json.JsonElement> ReadyDestinationAsync(TestGateway gateway)
    {
        using var response = await gateway.Client.GetAsync(new Uri("/readyz-details", UriKind.Relative), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return Assert.Single(json.RootElement.GetProperty("destinations").EnumerateArray().ToList()).Clone();
    }

    private static Task WaitForAttemptsAsync(TestGateway gateway, string key, string sink, int count) =>
        Await.UntilAsync(async () => (await gateway.Store.ListAttemptsAsync(key, sink, Ct)).Count >= count, $"{count} recorded attempts");
}
