using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Events;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class DestinationRoutingTests
{

    [Fact]
    public async Task Each_destination_gets_every_event_its_filter_selects_and_nothing_else_exactly_once_per_key()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        await using var all = await DestinationServer.StartAsync();
        await using var statuses = await DestinationServer.StartAsync();
        await using var text = await DestinationServer.StartAsync();
        await using var templates = await DestinationServer.StartAsync();
        await using var flaky = await DestinationServer.StartAsync();
        // Fails one request in three: what arrives after retries must still be complete.
        flaky.Respond = (_, n, _) => Task.FromResult<int?>(n % 3 == 0 ? 503 : 200);

        var destinations = new[]
        {
            Destinations.Meta("all", all),
            Destinations.Meta("statuses", statuses, d => d.Types.Add("statuses.*")),
            Destinations.Event("text", text, d => { d.Types.Add("messages.text"); d.Fields.Add("messages"); }),
            Destinations.Meta("templates", templates, d => { d.Fields.Add("message_template_status_update"); d.Fields.Add("message_template_quality_update"); }),
            Destinations.Event("flaky", flaky),
        };
        // The processor lets deliveries gather for its batch window, which on the test clock ends only when the clock
        // moves: each burst of posts is processed in a few large batches, as under load.
        var batchWindow = TimeSpan.FromMilliseconds(25);
        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            o => o.Processor.BatchWindow = batchWindow,
            hooks =>
            {
                foreach (var destination in destinations)
                {
                    hooks.AddDestination(destination);
                }
            },
            clock: clock);

        var bodies = ExamplePayloads.Names.Select(ExamplePayloads.Read).ToList();
        foreach (var body in bodies)
        {
            await gateway.PostAsync(body);
        }

        await clock.AdvanceUntilAsync(batchWindow, async () => await gateway.ProcessedCountAsync() == bodies.Count, "every delivery processed");

        // Meta redelivers: the same bytes again, after their events are stored, must not reach any destination twice.
        foreach (var body in bodies.Take(10))
        {
            await gateway.PostAsync(body);
        }

        var events = bodies.SelectMany(b => DeliverySplitter.Split(b, 0).Events).DistinctBy(e => e.Id).ToList();
        var expected = destinations.ToDictionary(d => d.Name, d => events.Where(d.Filter.Matches).Select(e => e.Id).Order().ToList());
        Assert.True(expected["statuses"].Count > 3 && expected["text"].Count > 0 && expected["templates"].Count > 0, "each filter selects something");

        // Each destination's work is scheduled in the transaction that stores its event. Once every delivery is
        // processed and no destination has work pending, the store says what each one got and that nothing more will
        // be sent. The clock moves so the flaky destination's retries come due.
        var posted = bodies.Count + 10;
        await clock.AdvanceUntilAsync(
            TimeSpan.FromSeconds(1),
            async () => await gateway.ProcessedCountAsync() == posted
                && await gateway.BacklogAsync() is var backlog
                && destinations.All(d => backlog.TryGetValue(d.SinkName, out var b) && b.Pending == 0),
            "every delivery processed and every destination's work done");
        var work = await gateway.BacklogAsync();
        foreach (var destination in destinations)
        {
            var backlog = work[destination.SinkName];
            Assert.Equal((destination.Name, 0L, 0L, (long)expected[destination.Name].Count), (destination.Name, backlog.Pending, backlog.Dead, backlog.Done));
        }

        var servers = new Dictionary<string, (DestinationServer Server, bool Meta)>
        {
            ["all"] = (all, true), ["statuses"] = (statuses, true), ["text"] = (text, false), ["templates"] = (templates, true), ["flaky"] = (flaky, false),
        };
        foreach (var (name, (server, meta)) in servers)
        {
            var accepted = Received.Accepted(server, meta).ToList();
            Assert.Equal(expected[name], accepted.Distinct().Order().ToList());
            Assert.All(server.Received, r => Assert.True(meta ? Received.HasValidHubSignature(r) : Received.HasValidStandardSignature(r)));
            if (name != "flaky")
            {
                // Nothing failed, so nothing was sent twice.
                Assert.Equal(accepted.Count, accepted.Distinct().Count());
            }
        }
    }
}
