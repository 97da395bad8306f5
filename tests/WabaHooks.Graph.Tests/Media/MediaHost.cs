using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting;
using WabaHooks.Inbox;
using WabaHooks.Media;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests.Media;

/// <summary>
/// A worker host keeping media: WabaHooks over a SQLite file with <c>AddMedia</c> pointed at the Graph stub, sink
/// retries turned up to milliseconds so a dead letter comes in a few attempts.
/// </summary>
internal sealed class MediaHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dataDir;

    private MediaHost(IHost host, string dataDir)
    {
        _host = host;
        _dataDir = dataDir;
    }

    public IServiceProvider Services => _host.Services;

    public IMediaStore Store => Services.GetRequiredService<IMediaStore>();

    public string MediaDirectory => Path.Combine(_dataDir, "media");

    public static async Task<MediaHost> StartAsync(string dataDir, GraphStub graph, Action<WabaHooksBuilder>? hooks = null, int maxAttempts = 3)
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
            o.Handlers.MaxAttempts = maxAttempts;
        })
        .UseSqlite(dataDir)
        .AddMedia(m =>
        {
            m.Directory = Path.Combine(dataDir, "media");
            m.Graph.BaseUrl = graph.BaseUrl;
            m.Graph.AccessToken = GraphStub.AccessToken;
        });
        hooks?.Invoke(wabaHooks);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new MediaHost(host, dataDir);
    }

    /// <summary>Appends a delivery of one inbound media message, as the receiving endpoint would.</summary>
    /// <returns>The delivery's body.</returns>
    public async Task<byte[]> ReceiveAsync(string wamid, string type, string mediaId, string? sha256, string? url = null)
    {
        var media = $$"""{"mime_type":"image/jpeg",{{(sha256 is null ? "" : $"\"sha256\":\"{sha256}\",")}}{{(url is null ? "" : $"\"url\":\"{url}\",")}}"id":"{{mediaId}}"}""";
        var message = $$"""{"from":"447700900456","id":"{{wamid}}","timestamp":"1767261608","type":"{{type}}","{{type}}":{{media}}}""";
        var body = Encoding.UTF8.GetBytes(
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"109876543210001\",\"changes\":[{\"field\":\"messages\",\"value\":{"
            + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550142233\",\"phone_number_id\":\"118765432100002\"},"
            + "\"messages\":[" + message + "]}}]}]}");
        var store = Services.GetRequiredService<IDeliveryStore>();
        await store.AppendAsync([new InboundDelivery(body, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(body))], TestContext.Current.CancellationToken);
        return body;
    }

    /// <summary>The sink's work rows by state, or all zero when it has none.</summary>
    public async Task<SinkBacklog> BacklogAsync(string sink) =>
        (await Services.GetRequiredService<ISinkWorkStore>().GetBacklogAsync(TestContext.Current.CancellationToken)).FirstOrDefault(b => b.Sink == sink)
        ?? new SinkBacklog(sink, 0, 0, 0);

    public static string Sha256Of(byte[] bytes) => Convert.ToBase64String(SHA256.HashData(bytes));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
