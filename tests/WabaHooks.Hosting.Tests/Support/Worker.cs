using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Signatures;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Tests.Support;

/// <summary>
/// A worker service as an application would write one: a generic host (no ASP.NET Core) running WabaHooks over a
/// SQLite file, with the pace of polling turned up so tests wait on state for milliseconds, not seconds.
/// </summary>
internal sealed class Worker : IAsyncDisposable
{
    private readonly IHost _host;

    private Worker(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IEventStore Events => Services.GetRequiredService<IEventStore>();

    public ISinkWorkStore Work => Services.GetRequiredService<ISinkWorkStore>();

    public static async Task<Worker> StartAsync(string dataDir, Action<WabaHooksBuilder> hooks, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var wabaHooks = builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "token";
            o.AppSecrets.Add(new AppSecret("app", "secret"));
            o.Processor.IdlePollInterval = TimeSpan.FromMilliseconds(20);
            o.Handlers.PollInterval = TimeSpan.FromMilliseconds(20);
            o.Handlers.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Handlers.MaxDelay = TimeSpan.FromMilliseconds(50);
        }).UseSqlite(dataDir);
        hooks(wabaHooks);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new Worker(host);
    }

    /// <summary>Waits until the processor has split <paramref name="deliveries"/> deliveries: their events and sink work are then stored.</summary>
    public Task WaitUntilProcessedAsync(int deliveries) =>
        WabaHooks.Testing.Await.UntilAsync(
            () => Events.ListDeliveryOutcomesAsync(deliveries + 1, null, TestContext.Current.CancellationToken),
            outcomes => outcomes.Count >= deliveries,
            $"{deliveries} deliveries processed");

    /// <summary>The sink's work rows by state, or all zero when it has none.</summary>
    public async Task<SinkBacklog> BacklogAsync(string sink) =>
        (await Work.GetBacklogAsync(TestContext.Current.CancellationToken)).FirstOrDefault(b => b.Sink == sink) ?? new SinkBacklog(sink, 0, 0, 0);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
