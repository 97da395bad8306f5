using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Nats.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Brokers;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Nats.Tests;

/// <summary>
/// Issue #18: several gateway instances on one PostgreSQL database share a broker destination's work through row
/// leases, so in the normal case each event is published once — by whichever instance claimed it.
/// </summary>
public sealed class NatsInstancesTests(NatsServer nats, PostgresServer postgres) : IClassFixture<NatsServer>, IClassFixture<PostgresServer>
{
    private const string Sink = "destination:stream";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_instances_on_one_database_publish_each_event_once()
    {
        const int Events = 150;
        var database = await postgres.CreateDatabaseAsync();
        await using var stream = await TestStream.CreateAsync(nats.Url);
        var destination = new Dictionary<string, string>
        {
            ["Name"] = "stream",
            ["Kind"] = "nats",
            ["Url"] = nats.Url.ToString(),
            ["Subject"] = stream.Prefix + ".{type}",
            ["Format"] = "meta",
            ["MaxConcurrency"] = "8",
        };
        var instances = new List<BrokerGateway>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                instances.Add(await BrokerGateway.StartAsync(destination, b => b.UsePostgres(database).AddNatsDestinations()));
            }

            // Each instance receives a third of the deliveries, as behind a load balancer.
            for (var n = 0; n < Events; n += 10)
            {
                await instances[n / 10 % 3].AppendAsync(Enumerable.Range(n, 10).Select(i => BrokerDeliveries.Text(i, "multi")));
            }

            await instances[0].WaitUntilDoneAsync(Sink, Events, TimeSpan.FromSeconds(60));

            for (var n = 0; n < Events; n++)
            {
                var attempts = await instances[0].Work.ListAttemptsAsync(BrokerDeliveries.TextId(n, "multi"), Sink, Ct);
                Assert.True(attempts.Count == 1 && attempts[0].Succeeded, $"{BrokerDeliveries.TextId(n, "multi")}: {attempts.Count} attempts");
            }

            Assert.Equal(Events, await stream.CountAsync());
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
