using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class DestinationRestartTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Events_pending_a_retry_reach_the_destination_after_the_gateway_restarts_on_the_same_data()
    {
        using var dir = new TempDirectory();
        // Both gateways on one clock: the retries the first one scheduled come due only when the test moves it.
        var clock = new TestClock();
        await using var server = await DestinationServer.StartAsync();
        var failing = true;
        server.Respond = (_, _, _) => Task.FromResult<int?>(Volatile.Read(ref failing) ? 502 : 200);
        var bodies = Enumerable.Range(0, 20).Select(n => Handlers.Payload.WithWamid("messages-text.json", $"wamid.restart-{n}")).ToList();
        var keys = bodies.Select(Handlers.Payload.MessageKey).Order().ToList();

        await using (var first = await Destinations.StartGatewayAsync(dir.Path, clock, Destinations.Meta("crm", server)))
        {
            foreach (var body in bodies)
            {
                await first.PostAsync(body);
            }

            await server.WaitUntilAsync(r => r.Count >= 5, Bound, "failing attempts before the restart");
        }

        Assert.Empty(Received.Accepted(server, meta: true));
        Volatile.Write(ref failing, false);
        await using var second = await Destinations.StartGatewayAsync(dir.Path, clock, Destinations.Meta("crm", server));
        await clock.AdvanceUntilAsync(TimeSpan.FromSeconds(1), () => Received.Accepted(server, meta: true).Distinct().Count() == keys.Count, "every pending event after the restart");
        Assert.Equal(keys, Received.Accepted(server, meta: true).Distinct().Order());
    }

    [Fact]
    public async Task A_request_cut_off_by_shutdown_is_sent_again_after_the_restart()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        var hang = true;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Respond = (_, _, _) =>
        {
            started.TrySetResult();
            return Task.FromResult<int?>(Volatile.Read(ref hang) ? null : 200);
        };
        var body = ExamplePayloads.Read("messages-text.json");
        var key = Handlers.Payload.MessageKey(body);

        await using (var first = await TestGateway.StartAsync(dir.Path, _ => { }, hooks =>
        {
            // Shutdown's grace ends long before the destination's 30-second timeout: the request is cut off.
            hooks.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
            hooks.AddDestination(Destinations.Meta("slow", server, d => d.Timeout = TimeSpan.FromSeconds(30)));
        }))
        {
            await first.PostAsync(body);
            await started.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);
        }

        Volatile.Write(ref hang, false);
        await using var second = await Destinations.StartGatewayAsync(dir.Path, Destinations.Meta("slow", server));
        await server.WaitUntilAsync(r => r.Any(x => x.Status == 200), Bound, "the event after the restart");
        IReadOnlyList<Storage.SinkAttempt> attempts = [];
        await Await.UntilAsync(
            async () => (attempts = await second.Store.ListAttemptsAsync(key, "destination:slow", TestContext.Current.CancellationToken)).Any(a => a.Succeeded),
            "the successful attempt recorded");
        Assert.Equal("interrupted by shutdown", attempts[0].Error);
        Assert.Equal(2, attempts.Count);
    }
}
