using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests;

/// <summary>
/// The endpoint on real Kestrel at 127.0.0.1 with a free port, over a real SQLite file in a temp folder; on a
/// <see cref="TestClock"/> when the test gives one, so backoffs, pauses and timeouts pass only when the test moves it.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string VerifyToken = "test-verify-token";
    public const string SecretA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string SecretB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private readonly WebApplication _app;
    private bool _disposed;

    private TestGateway(WebApplication app, string dataDir, HttpClient client, CapturingLoggerProvider logs)
    {
        _app = app;
        DataDir = dataDir;
        Client = client;
        Logs = logs;
    }

    public string DataDir { get; }

    public HttpClient Client { get; }

    /// <summary>Where Kestrel listens, for tests that speak HTTP/1.1 on a raw socket.</summary>
    public Uri Address => Client.BaseAddress!;

    public CapturingLoggerProvider Logs { get; }

    public SqliteStore Store => _app.Services.GetRequiredService<SqliteStore>();

    public IServiceProvider Services => _app.Services;

    /// <summary>Every sink's backlog as the store has it, by sink name.</summary>
    public async Task<IReadOnlyDictionary<string, WabaHooks.Storage.SinkBacklog>> BacklogAsync() =>
        (await Store.GetBacklogAsync(TestContext.Current.CancellationToken)).ToDictionary(b => b.Sink, StringComparer.Ordinal);

    /// <summary>How many deliveries the processor has committed an outcome for.</summary>
    public async Task<int> ProcessedCountAsync() =>
        (await Store.ListDeliveryOutcomesAsync(10_000, null, TestContext.Current.CancellationToken)).Count;

    public static async Task<TestGateway> StartAsync(
        string dataDir,
        Action<WabaHooksOptions>? configure = null,
        Action<WabaHooksBuilder>? handlers = null,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null,
        TestClock? clock = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (kestrel is not null)
        {
            builder.WebHost.ConfigureKestrel(kestrel);
        }

        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        if (clock is not null)
        {
            // Registered before AddWabaHooks, whose TryAdd then keeps it: every timer and timestamp of the gateway is on it.
            builder.Services.AddSingleton<TimeProvider>(clock);
        }

        var wabaHooks = builder.Services
            .AddWabaHooks(options =>
            {
                options.VerifyToken = VerifyToken;
                options.AppSecrets.Add(new AppSecret("app-a", SecretA));
                options.AppSecrets.Add(new AppSecret("app-b", SecretB));
                options.AppendTimeout = TimeSpan.FromSeconds(2);
                if (clock is not null)
                {
                    // The processor lets deliveries gather for this long after each batch: on a test clock that wait
                    // would last until the test moved the clock.
                    options.Processor.BatchWindow = TimeSpan.Zero;
                }

                configure?.Invoke(options);
            })
            .UseSqlite(new SqliteStoreOptions
            {
                DatabasePath = Path.Combine(dataDir, "wabahooks.db"),
                BusyTimeout = TimeSpan.FromMilliseconds(500),
                // The store stamps stored events and schedules work on the gateway's clock.
                TimeProvider = clock ?? TimeProvider.System,
            });
        handlers?.Invoke(wabaHooks);
        var app = builder.Build();
        map?.Invoke(app);
        app.MapWabaHooks("/webhook");
        app.MapWabaHooksHealth();
        app.MapWabaHooksHealth("/healthz-details", "/readyz-details", includeDetails: true);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        return new TestGateway(app, dataDir, client, logs);
    }

    /// <summary>Posts a signed delivery and expects the 200.</summary>
    public async Task PostAsync(byte[] body)
    {
        using var response = await Client.SendAsync(SignedPost(body), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public static HttpRequestMessage SignedPost(byte[] body, string secret = SecretA, string path = "/webhook")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, secret));
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        // Tests that read what is logged at shutdown dispose early; the fixture disposes again.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
