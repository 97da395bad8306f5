using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class DestinationFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How far the test clock moves while waiting for an outcome that comes after backoffs or pauses: longer than the
    /// test destinations' longest retry delay and circuit pause.
    /// </summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_destination_that_fails_several_times_then_recovers_gets_everything_and_every_attempt_is_recorded()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        var latency = TimeSpan.FromMilliseconds(40);
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, n, _) =>
        {
            // Each answer takes 40 ms on the gateway's clock: the time an attempt records is the destination's.
            clock.Advance(latency);
            return Task.FromResult<int?>(n <= 4 ? 500 : 200);
        };
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, clock, Destinations.Event("recovering", server, d => d.MaxConcurrency = 1));
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Handlers.Payload.MessageKey(body);

        await gateway.PostAsync(body);
        await clock.AdvanceUntilAsync(Step, () => server.Received.Any(r => r.Status == 200), "the recovery after four backoffs");

        await WaitForAttemptsAsync(gateway, key, "destination:recovering", 5);
        var attempts = await gateway.Store.ListAttemptsAsync(key, "destination:recovering", Ct);
        Assert.Equal([1, 2, 3, 4, 5], attempts.Select(a => a.Number));
        Assert.All(attempts.Take(4), a => Assert.Equal((500, false, "failing with 500"), (a.StatusCode!.Value, a.Succeeded, a.ResponseHead!)));
        Assert.All(attempts.Take(4), a => Assert.StartsWith("HTTP 500", a.Error, StringComparison.Ordinal));
        Assert.True(attempts[4].Succeeded);
        Assert.Equal(200, attempts[4].StatusCode);
        Assert.All(attempts, a => Assert.True(a.Duration >= latency, $"attempt {a.Number} took {a.Duration}"));
    }

    [Fact]
    public async Task A_destination_down_for_a_while_gets_everything_once_it_is_back()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        await using var server = await DestinationServer.StartAsync();
        await server.StopAsync();
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, clock, Destinations.Meta("down", server));
        var bodies = new[] { "messages-text.json", "messages-image.json", "messages-status-read.json", "account_update-volume-tier.json" }.Select(ExamplePayloads.Read).ToList();
        foreach (var body in bodies)
        {
            await gateway.PostAsync(body);
        }

        var keys = bodies.SelectMany(b => Events.DeliverySplitter.Split(b, 0).Events).Select(e => e.Id).ToList();
        await clock.AdvanceUntilAsync(
            Step,
            async () => (await gateway.Store.ListAttemptsAsync(keys[0], "destination:down", Ct)).Count >= 2,
            "failed attempts while the destination is down");
        var refused = await gateway.Store.ListAttemptsAsync(keys[0], "destination:down", Ct);
        Assert.All(refused, a => Assert.Null(a.StatusCode));
        Assert.All(refused, a => Assert.Contains("refused", a.Error, StringComparison.OrdinalIgnoreCase));

        await server.StartAgainAsync();
        await clock.AdvanceUntilAsync(Step, () => Received.Accepted(server, meta: true).Distinct().Count() == keys.Count, "everything after the destination came back");
        Assert.Equal(keys.Order(), Received.Accepted(server, meta: true).Distinct().Order());
    }

    [Fact]
    public async Task A_destination_that_hangs_fails_at_its_timeout_without_delaying_another_destination()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        var timeout = TimeSpan.FromSeconds(2);
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
            clock,
            Destinations.Meta("hanging", hanging, d => d.Timeout = timeout),
            Destinations.Meta("healthy", healthy));
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Handlers.Payload.MessageKey(body);

        await gateway.PostAsync(body);
        await hung.Task.WaitAsync(Bound, Ct);
        // The clock has not moved, so the hanging request is still waiting for its timeout: the healthy destination
        // gets the event all the same.
        await healthy.WaitUntilAsync(r => r.Count == 1, Bound, "the healthy destination, during the other's hang");
        Assert.Empty(await gateway.Store.ListAttemptsAsync(key, "destination:hanging", Ct));

        clock.Advance(timeout);
        await WaitForAttemptsAsync(gateway, key, "destination:hanging", 1);
        var timedOut = Assert.Single(await gateway.Store.ListAttemptsAsync(key, "destination:hanging", Ct));
        Assert.Equal("timed out after 2 s", timedOut.Error);
        Assert.Null(timedOut.StatusCode);
        Assert.Equal(timeout, timedOut.Duration);

        await clock.AdvanceUntilAsync(Step, () => hanging.Received.Any(x => x.Status == 200), "the retry after the timeout");
        await WaitForAttemptsAsync(gateway, key, "destination:hanging", 2);
        Assert.True((await gateway.Store.ListAttemptsAsync(key, "destination:hanging", Ct))[1].Succeeded);
    }

    [Fact]
    public async Task A_destination_answering_4xx_is_retried_through_its_window_then_dead_lettered_and_a_dead_letter_retry_delivers_it()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        var window = TimeSpan.FromMinutes(10);
        var maxDelay = TimeSpan.FromMinutes(2);
        await using var server = await DestinationServer.StartAsync();
        var status = 400;
        server.Respond = (_, _, _) => Task.FromResult<int?>(Volatile.Read(ref status));
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, clock, Destinations.Event("rejecting", server, d =>
        {
            d.Retry.Window = window;
            d.Retry.BaseDelay = TimeSpan.FromMinutes(1);
            d.Retry.MaxDelay = maxDelay;
        }));
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Handlers.Payload.MessageKey(body);

        await gateway.PostAsync(body);
        // Each retry is due within the maximum delay of the attempt before it: the clock moves that far once each
        // attempt is recorded, so no attempt is running while it moves.
        for (var made = 1; ; made++)
        {
            await WaitForAttemptsAsync(gateway, key, "destination:rejecting", made);
            if ((await gateway.Store.ListDeadLettersAsync("destination:rejecting", 10, Ct)).Count > 0)
            {
                break;
            }

            Assert.True(made < 100, "the window never ended");
            clock.Advance(maxDelay);
        }

        var attempts = await gateway.Store.ListAttemptsAsync(key, "destination:rejecting", Ct);
        var dead = Assert.Single(await gateway.Store.ListDeadLettersAsync("destination:rejecting", 10, Ct));
        Assert.Equal(key, dead.EventId);
        Assert.Equal(SinkWorkState.Dead, dead.State);
        Assert.All(attempts, a => Assert.Equal(400, a.StatusCode));

        // Retried while the window lasted, and dead-lettered only by an attempt at or after its end.
        var windowEnd = dead.ScheduledAt + window;
        Assert.True(attempts.Count >= 3, $"retried within the window ({attempts.Count} attempts)");
        Assert.All(attempts.SkipLast(1), a => Assert.True(a.StartedAt < windowEnd, $"attempt {a.Number} at {a.StartedAt:O}, window end {windowEnd:O}"));
        Assert.True(attempts[^1].StartedAt >= windowEnd, $"the last attempt started {attempts[^1].StartedAt:O}, window end {windowEnd:O}");

        Volatile.Write(ref status, 204);
        Assert.Equal(1, await gateway.Store.RetryDeadLettersAsync("destination:rejecting", clock.GetUtcNow(), Ct));
        await clock.AdvanceUntilAsync(Step, () => server.Received.Any(r => r.Status == 204), "the retried dead letter");
        Assert.Equal(key, Received.KeyOfEvent(server.Received.Single(r => r.Status == 204)));
    }

    [Fact]
    public async Task A_destination_that_keeps_failing_is_paused_and_then_probed_with_a_single_request()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        var pause = TimeSpan.FromSeconds(30);
        await using var server = await DestinationServer.StartAsync();
        var status = 503;
        server.Respond = (_, _, _) => Task.FromResult<int?>(Volatile.Read(ref status));
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, clock, Destinations.Event("broken", server, d =>
        {
            d.MaxConcurrency = 4;
            d.CircuitBreaker.FailureThreshold = 3;
            d.CircuitBreaker.BreakDuration = pause;
            d.CircuitBreaker.MaxBreakDuration = TimeSpan.FromMinutes(5);
            d.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            d.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        }));
        var bodies = Enumerable.Range(0, 5).Select(n => Handlers.Payload.WithWamid("messages-text.json", $"wamid.breaker-{n}")).ToList();
        foreach (var body in bodies)
        {
            await gateway.PostAsync(body);
        }

        // The third failure opens the circuit. The clock has not moved, so the pause ends exactly 30 s from now.
        var opened = clock.GetUtcNow();
        var paused = await PausedAsync(gateway, opened + pause);
        Assert.Equal("broken", paused.GetProperty("name").GetString());
        Assert.Contains(gateway.Logs.Lines, m => m.Contains("Destination broken paused", StringComparison.Ordinal));
        var sent = server.Received.Count;
        Assert.True(sent >= 3, $"{sent} requests before the circuit opened");

        // Every failed event is due again after a second; without the pause each would be sent at once. Nothing is,
        // after a second nor a millisecond before the pause ends, though the loop looks each time the clock moves.
        foreach (var until in new[] { opened + TimeSpan.FromSeconds(1), opened + pause - TimeSpan.FromMilliseconds(1) })
        {
            clock.Advance(until - clock.GetUtcNow());
            await clock.WaitUntilWaitingAsync(Destinations.PollInterval, "the destination's loop");
            await PausedAsync(gateway, opened + pause);
            Assert.Equal(sent, server.Received.Count);
        }

        // The pause over, the loop's next look sends one request, a probe, though four slots are free and every event
        // is due. It fails: the circuit opens again, for twice as long.
        clock.Advance(Destinations.PollInterval);
        var probed = clock.GetUtcNow();
        await PausedAsync(gateway, probed + 2 * pause);
        Assert.Equal(sent + 1, server.Received.Count);
        Assert.Equal(probed.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), server.Received[^1].Header("webhook-timestamp"));

        // The next probe succeeds and closes the circuit: everything still due goes out.
        Volatile.Write(ref status, 200);
        clock.Advance(2 * pause);
        await Await.UntilAsync(
            async () => (await gateway.BacklogAsync()).GetValueOrDefault("destination:broken") is { Pending: 0, Dead: 0, Done: 5 },
            "every event delivered once the circuit closed");
        Assert.Equal("closed", (await ReadyDestinationAsync(gateway)).GetProperty("circuit").GetString());
        Assert.Equal(bodies.Select(Handlers.Payload.MessageKey).Order(), Received.Accepted(server, meta: false).Order());
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

    /// <summary>Waits until the destination's circuit is open until <paramref name="until"/> with no request in flight: until the clock moves, nothing can be sent.</summary>
    private static Task<System.Text.Json.JsonElement> PausedAsync(TestGateway gateway, DateTimeOffset until) =>
        Await.UntilAsync(
            () => ReadyDestinationAsync(gateway),
            d => d.GetProperty("circuit").GetString() == "open"
                && d.GetProperty("inFlight").GetInt32() == 0
                && d.GetProperty("pausedUntil").ValueKind == System.Text.Json.JsonValueKind.String
                && d.GetProperty("pausedUntil").GetDateTimeOffset() == until,
            $"the circuit open until {until:O}, nothing in flight");

    private static Task WaitForAttemptsAsync(TestGateway gateway, string key, string sink, int count) =>
        Await.UntilAsync(async () => (await gateway.Store.ListAttemptsAsync(key, sink, Ct)).Count >= count, $"{count} recorded attempts");
}
