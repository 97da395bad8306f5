using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Graph.Tests.Support;
using WabaHooks.Hosting;
using WabaHooks.Testing.Graph;
using WabaHooks.Testing.Http;

namespace WabaHooks.Graph.Tests;

public sealed class NamedHttpClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_handler_the_user_adds_to_the_named_Graph_client_sees_every_attempt_of_a_call()
    {
        await using var stub = await GraphStub.StartAsync(Ct);
        stub.Enqueue(ScriptedReply.Error(503, 2, "Service temporarily unavailable", isTransient: true));
        var seen = new SeenRequests();
        var services = new ServiceCollection();
        services.AddHttpClient(WabaHooksHttpClients.Graph).AddHttpMessageHandler(seen.NewHandler);
        await using var provider = services.BuildServiceProvider();
        var client = new GraphClient(provider.GetRequiredService<IHttpClientFactory>(), StubbedGraph.TestOptions(stub.BaseUrl));

        await client.SubscribeWabaAsync(GraphStub.WabaId, Ct);

        var url = new Uri(stub.BaseUrl, $"/v24.0/{GraphStub.WabaId}/subscribed_apps");
        Assert.Equal([("POST", url), ("POST", url)], seen.All);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task A_timeout_the_user_sets_on_the_named_client_does_not_cut_an_attempt_short()
    {
        await using var stub = await GraphStub.StartAsync(Ct);
        stub.Enqueue(ScriptedReply.Success() with { Hang = TimeSpan.FromMilliseconds(300) });
        var services = new ServiceCollection();
        services.AddHttpClient(WabaHooksHttpClients.Graph, c => c.Timeout = TimeSpan.FromMilliseconds(50));
        await using var provider = services.BuildServiceProvider();
        var options = StubbedGraph.TestOptions(stub.BaseUrl);
        options.MaxRetries = 0;
        var client = new GraphClient(provider.GetRequiredService<IHttpClientFactory>(), options);

        await client.SubscribeWabaAsync(GraphStub.WabaId, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Single(stub.Requests);
    }
}
