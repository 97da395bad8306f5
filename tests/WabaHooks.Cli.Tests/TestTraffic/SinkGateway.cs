using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.Cli.Tests.TestTraffic;

/// <summary>
/// A user's app on real Kestrel at 127.0.0.1 over SQLite, with one handler that takes every event and one HTTP
/// destination with no filter: the sinks that synthetic traffic must not reach unless they opt in.
/// </summary>
internal sealed class SinkGateway : IAsyncDisposable
{
    public const string VerifyToken = "sink-gateway-verify-token";
    public const string AppSecret = "5eb0c1d2e3f405162738495a6b7c8d9e";
    public const string HandlerSink = "handler:every-event";
    public const string DestinationSink = DestinationOptions.SinkPrefix + "crm";

    private readonly WebApplication _app;

    private SinkGateway(WebApplication app, Uri callbackUrl, string dataDir)
    {
        _app = app;
        CallbackUrl = callbackUrl;
        DataDir = dataDir;
    }

    public Uri CallbackUrl { get; }

    public string DataDir { get; }

    /// <summary>The events the handler was called with, and whether each said it was a test.</summary>
    public ConcurrentQueue<(string EventId, bool IsTest)> Handled { get; } = new();

    public SqliteStore Store => _app.Services.GetRequiredService<SqliteStore>();

    public static async Task<SinkGateway> StartAsync(string dataDir, DestinationServer destination, bool includeTestEvents)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        SinkGateway? gateway = null;
        var crm = new DestinationOptions
        {
            Name = "crm",
            Url = destination.Url,
            Format = DestinationFormat.Event,
            Secret = "whsec_ZGVzdGluYXRpb24tc2VjcmV0LTMyLWJ5dGVzLWxvbmc=",
            PollInterval = TimeSpan.FromMilliseconds(20),
            IncludeTestEvents = includeTestEvents,
        };
        builder.Services
            .AddWabaHooks(options =>
            {
                options.VerifyToken = VerifyToken;
                options.AppSecrets.Add(new AppSecret("app", AppSecret));
                options.Handlers.PollInterval = TimeSpan.FromMilliseconds(20);
            })
            .UseSqlite(new SqliteStoreOptions { DatabasePath = Path.Combine(dataDir, "wabahooks.db") })
            .On<object>(
                (context, _) =>
                {
                    gateway!.Handled.Enqueue((context.EventId, context.IsTest));
                    return Task.CompletedTask;
                },
                name: HandlerSink,
                includeTestEvents: includeTestEvents)
            .AddDestination(crm);
        var app = builder.Build();
        app.MapWabaHooks("/webhook");
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        gateway = new SinkGateway(app, new Uri(new Uri(address), "/webhook"), dataDir);
        return gateway;
    }

    /// <summary>Every stored event, newest first.</summary>
    public Task<IReadOnlyList<StoredEvent>> EventsAsync() =>
        Store.ListEventsAsync(new EventQuery { Limit = 10_000 }, CancellationToken.None);

    /// <summary>Whether every stored delivery has been through the processor (its events and sink work committed).</summary>
    public async Task<bool> AllProcessedAsync(int deliveries)
    {
        var listed = await Store.ListAsync(deliveries + 1, null, CancellationToken.None);
        return listed.Count == deliveries && (await Store.ReadUnprocessedAsync(1, CancellationToken.None)).Count == 0;
    }

    /// <summary>
    /// The sink work rows scheduled for a sink. Work is scheduled in the transaction that stores the event, so once
    /// every delivery is processed, none means the sink was never going to get anything.
    /// </summary>
    public async Task<long> SinkWorkRowsAsync(string sink)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDir, "wabahooks.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sink_work WHERE sink = $sink;";
        command.Parameters.AddWithValue("$sink", sink);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
