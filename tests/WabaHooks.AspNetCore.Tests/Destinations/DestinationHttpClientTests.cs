using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Http;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class DestinationHttpClientTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_handler_the_user_adds_to_a_destinations_named_client_sees_that_destinations_requests_only()
    {
        using var dir = new TempDirectory();
        await using var observed = await DestinationServer.StartAsync();
        await using var other = await DestinationServer.StartAsync();
        var seen = new SeenRequests();
        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            _ => { },
            hooks =>
            {
                hooks.AddDestination(Destinations.Meta("observed", observed));
                hooks.AddDestination(Destinations.Event("other", other));
                hooks.Services.AddHttpClient(WabaHooksHttpClients.Destination("observed")).AddHttpMessageHandler(seen.NewHandler);
            });

        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await observed.WaitUntilAsync(r => r.Count == 1, Bound, "the observed destination's request");
        await other.WaitUntilAsync(r => r.Count == 1, Bound, "the other destination's request");

        Assert.Equal([("POST", observed.Url)], seen.All);
    }

    public static TheoryData<string> PrimaryHandlers => ["the factory's default", nameof(HttpClientHandler), nameof(SocketsHttpHandler)];

    [Theory]
    [MemberData(nameof(PrimaryHandlers))]
    public async Task A_redirect_is_a_failed_attempt_whatever_primary_handler_the_user_configures(string primary)
    {
        await using var server = await MovedServer.StartAsync();
        // WabaHooks registers first, as AddDestination does; the user's handler, registered after, follows redirects by default.
        var services = new ServiceCollection().AddDestinationHttpClients();
        var named = services.AddHttpClient(WabaHooksHttpClients.Destination("moved"));
        if (primary == nameof(HttpClientHandler))
        {
            named.ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler());
        }
        else if (primary == nameof(SocketsHttpHandler))
        {
            named.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler());
        }

        await using var provider = services.BuildServiceProvider();
        var destination = new DestinationOptions { Name = "moved", Url = server.Url, Secret = "moved-secret" };
        var client = new DestinationClient(destination, provider.GetRequiredService<IHttpClientFactory>());

        var response = await client.SendTestAsync(Ct);

        Assert.Equal(307, response.StatusCode);
        Assert.False(response.Succeeded);
        Assert.Equal(0, server.Landed);
    }

    /// <summary>Answers the destination URL with a 307 to another path, and counts what lands there.</summary>
    private sealed class MovedServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _landed;

        private MovedServer(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public int Landed => Volatile.Read(ref _landed);

        public static async Task<MovedServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.Urls.Add("http://127.0.0.1:0");
            var server = new MovedServer(app);
            app.Map("/hook", context =>
            {
                context.Response.Redirect("/landed", permanent: false, preserveMethod: true);
                return Task.CompletedTask;
            });
            app.Map("/landed", context =>
            {
                Interlocked.Increment(ref server._landed);
                return context.Response.WriteAsync("landed", context.RequestAborted);
            });
            await app.StartAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            server.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()), "/hook");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            await _app.DisposeAsync();
        }
    }
}
