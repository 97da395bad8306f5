using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Health;
using WabaHooks.Hosting.Replay;
using WabaHooks.Inbox;
using WabaHooks.Sinks;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Brokers;

/// <summary>
/// A worker host as an application writes one, forwarding to broker destinations: WabaHooks on a SQLite file, set up
/// from configuration exactly as wabahooks.json would set it (the <c>Destinations</c> list with a <c>Kind</c>), with
/// the kinds the test adds (<c>AddRabbitMqDestinations()</c>, <c>AddNatsDestinations()</c>). Deliveries are appended to
/// its store as the receiving endpoint would append them; the pace of polling is turned up so tests wait on state for
/// milliseconds.
/// </summary>
public sealed class BrokerGateway : IAsyncDisposable
{
    private readonly IHost _host;

    private BrokerGateway(IHost host) => _host = host;

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The store's events.</summary>
    public IEventStore Events => Services.GetRequiredService<IEventStore>();

    /// <summary>The store's sink work and attempts.</summary>
    public ISinkWorkStore Work => Services.GetRequiredService<ISinkWorkStore>();

    /// <summary>Builds and starts the host on a SQLite file in <paramref name="dataDir"/>.</summary>
    /// <param name="dataDir">Where its SQLite file goes.</param>
    /// <param name="destination">The one destination's settings, as keys of its item in the <c>Destinations</c> list (<c>Kind</c>, <c>Url</c>, <c>Exchange</c>…).</param>
    /// <param name="kinds">Adds the broker kinds, as the application would.</param>
    /// <exception cref="Exception">Whatever start-up throws: a configuration error, a missing exchange or stream.</exception>
    public static Task<BrokerGateway> StartAsync(string dataDir, IReadOnlyDictionary<string, string> destination, Action<WabaHooksBuilder> kinds) =>
        StartAsync(destination, b =>
        {
            b.UseSqlite(dataDir);
            kinds(b);
        });

    /// <summary>Builds and starts the host; <paramref name="setUp"/> chooses the store and adds the broker kinds.</summary>
    public static async Task<BrokerGateway> StartAsync(IReadOnlyDictionary<string, string> destination, Action<WabaHooksBuilder> setUp)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["WabaHooks:VerifyToken"] = "token",
            ["WabaHooks:AppSecrets:0"] = "app:secret",
            ["WabaHooks:Processor:IdlePollInterval"] = "0.02",
            ["WabaHooks:Destinations:0:PollInterval"] = "0.05",
        };
        foreach (var (key, value) in destination)
        {
            settings[$"WabaHooks:Destinations:0:{key}"] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        setUp(builder.Services.AddWabaHooks(builder.Configuration.GetSection("WabaHooks")));
        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new BrokerGateway(host);
    }

    /// <summary>Appends deliveries to the inbox, as the endpoint does after checking their signatures.</summary>
    public async Task AppendAsync(IEnumerable<byte[]> bodies)
    {
        var batch = bodies.Select(b => new InboundDelivery(b, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(b))).ToList();
        await Services.GetRequiredService<IDeliveryStore>().AppendAsync(batch, TestContext.Current.CancellationToken);
    }

    /// <summary>The sink's work by state, or all zero when it has none.</summary>
    public async Task<SinkBacklog> BacklogAsync(string sink) =>
        (await Work.GetBacklogAsync(TestContext.Current.CancellationToken)).FirstOrDefault(b => b.Sink == sink) ?? new SinkBacklog(sink, 0, 0, 0);

    /// <summary>Waits until <paramref name="done"/> events of <paramref name="sink"/> are done (delivered) and none pending.</summary>
    public Task WaitUntilDoneAsync(string sink, int done, TimeSpan? bound = null) =>
        Await.UntilAsync(() => BacklogAsync(sink), b => b.Done >= done && b.Pending == 0, $"{done} events of {sink} delivered", bound);

    /// <summary>Schedules <paramref name="eventId"/> for <paramref name="sink"/> again, as <c>wabahooks events replay</c> does.</summary>
    public Task ReplayAsync(string eventId, string sink) =>
        Services.GetRequiredService<SinkReplay>().ReplayEventAsync(eventId, Services.GetServices<SinkRegistration>().Single(s => s.Name == sink), TestContext.Current.CancellationToken);

    /// <summary>Whether a destination is paused (its circuit open or probing), as <c>/readyz</c> reports it.</summary>
    public async Task<bool> PausedAsync()
    {
        var report = await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == WabaHooksHealthChecks.Destinations, TestContext.Current.CancellationToken);
        return report.Status == HealthStatus.Degraded;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
