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

namespace WabaHooks.Dashboard.Tests;

/// <summary>
/// A gateway with the dashboard on real Kestrel at 127.0.0.1 (free port) over a real SQLite file: the webhook at
/// <c>/webhook</c>, the dashboard at <c>/wabahooks</c>. Deliveries are posted signed, as Meta would.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string Secret = "dashboard-test-app-secret-0123456789";

    private readonly WebApplication _app;
    private readonly TempDirectory _dir;

    private DashboardHost(WebApplication app, TempDirectory dir, Uri address)
    {
        _app = app;
        _dir = dir;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The server's root address.</summary>
    public Uri Address { get; }

    /// <summary>A client for the server (posting deliveries, calling the API).</summary>
    public HttpClient Client { get; }

    /// <summary>The dashboard's address for <paramref name="path"/>.</summary>
    public string Url(string path = "/") => new Uri(Address, "/wabahooks" + path).ToString();

    public IServiceProvider Services => _app.Services;

    public SqliteStore Store => _app.Services.GetRequiredService<SqliteStore>();

    public static async Task<DashboardHost> StartAsync(
        Action<WabaHooksBuilder>? hooks = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null,
        Action<WabaHooks.AspNetCore.Admin.WabaHooksAdminOptions>? admin = null)
    {
        var dir = new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var wabaHooks = builder.Services
            .AddWabaHooks(options =>
            {
                options.VerifyToken = "dashboard-verify-token";
                options.AppSecrets.Add(new AppSecret("app-main", Secret));
            })
            .UseSqlite(new SqliteStoreOptions { DatabasePath = Path.Combine(dir.Path, "wabahooks.db") });
        hooks?.Invoke(wabaHooks);
        wabaHooks.AddDashboard(admin);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapWabaHooks("/webhook");
        if (map is null)
        {
            app.MapWabaHooksDashboard("/wabahooks");
        }
        else
        {
            map(app);
        }

        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new DashboardHost(app, dir, new Uri(address));
    }

    /// <summary>Posts <paramref name="body"/> signed with the app secret, as Meta does, and expects the 200.</summary>
    public async Task PostDeliveryAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
