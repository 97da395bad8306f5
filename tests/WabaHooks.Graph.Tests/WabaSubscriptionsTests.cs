using WabaHooks.Graph.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests;

public sealed class WabaSubscriptionsTests
{
    private const string Bearer = "Bearer " + GraphStub.AccessToken;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SubscribeWaba_posts_subscribed_apps_with_no_body_and_a_bearer_token()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct);

        var request = Assert.Single(graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v24.0/109876543210001/subscribed_apps", request.Path);
        Assert.Empty(request.Query);
        Assert.Equal("", request.Body);
        Assert.Equal(Bearer, request.Authorization);
    }

    [Fact]
    public async Task GetWabaSubscriptions_reads_the_subscribed_app()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct);

        var apps = await graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct);

        var request = graph.Requests[^1];
        Assert.Equal(("GET", "/v24.0/109876543210001/subscribed_apps", Bearer), (request.Method, request.Path, request.Authorization));
        Assert.Empty(request.Query);
        var app = Assert.Single(apps);
        Assert.Equal(GraphStub.AppId, app.WhatsAppBusinessApiData!.Id);
        Assert.Equal("WabaHooks Stub App", app.WhatsAppBusinessApiData.Name);
        Assert.Equal("https://www.facebook.com/games/?app_id=1234567890", app.WhatsAppBusinessApiData.Link);
        Assert.Null(app.OverrideCallbackUri);
    }

    [Fact]
    public async Task SetWabaOverride_posts_the_override_and_verify_token_as_json()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://tenant-a.example.com/webhooks", "waba-verify", Ct);

        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", "/v24.0/109876543210001/subscribed_apps", Bearer), (request.Method, request.Path, request.Authorization));
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("""{"override_callback_uri":"https://tenant-a.example.com/webhooks","verify_token":"waba-verify"}""", request.Body);
        var app = Assert.Single(await graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct));
        Assert.Equal("https://tenant-a.example.com/webhooks", app.OverrideCallbackUri);
    }

    [Fact]
    public async Task RemoveWabaOverride_posts_subscribed_apps_again_with_no_body()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "https://tenant-a.example.com/webhooks", "waba-verify", Ct);

        await graph.Client.RemoveWabaOverrideAsync(GraphStub.WabaId, Ct);

        var request = graph.Requests[^1];
        Assert.Equal(("POST", "/v24.0/109876543210001/subscribed_apps", ""), (request.Method, request.Path, request.Body));
        Assert.Null(Assert.Single(await graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct)).OverrideCallbackUri);
    }

    [Fact]
    public async Task UnsubscribeWaba_deletes_subscribed_apps()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SubscribeWabaAsync(GraphStub.WabaId, Ct);

        await graph.Client.UnsubscribeWabaAsync(GraphStub.WabaId, Ct);

        var request = graph.Requests[^1];
        Assert.Equal(("DELETE", "/v24.0/109876543210001/subscribed_apps", Bearer), (request.Method, request.Path, request.Authorization));
        Assert.Empty(await graph.Client.GetWabaSubscriptionsAsync(GraphStub.WabaId, Ct));
    }

    [Fact]
    public async Task An_override_of_exactly_200_characters_is_sent()
    {
        await using var graph = await StubbedGraph.StartAsync();
        var uri = UriOfLength(200);

        await graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, uri, "v", Ct);

        Assert.Equal(uri, Assert.Single(graph.Requests).Json().GetProperty("override_callback_uri").GetString());
    }

    [Fact]
    public async Task An_override_of_201_characters_is_refused_before_sending()
    {
        await using var graph = await StubbedGraph.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, UriOfLength(201), "v", Ct));

        Assert.Equal("overrideCallbackUri", exception.ParamName);
        Assert.Contains("200", exception.Message, StringComparison.Ordinal);
        Assert.Contains("201", exception.Message, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Theory]
    [InlineData("tenant-a.example.com/webhooks")]
    [InlineData("/webhooks")]
    [InlineData("wss://tenant-a.example.com/webhooks")]
    [InlineData(" ")]
    public async Task An_override_that_is_not_an_absolute_http_url_is_refused_before_sending(string uri)
    {
        await using var graph = await StubbedGraph.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, uri, "v", Ct));

        Assert.Equal("overrideCallbackUri", exception.ParamName);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task An_http_override_is_allowed()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await graph.Client.SetWabaOverrideAsync(GraphStub.WabaId, "http://tenant-a.example.com/webhooks", "v", Ct);

        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task Waba_calls_without_a_token_fail_before_sending_and_name_the_environment_variable()
    {
        await using var graph = await StubbedGraph.StartAsync();
        using var httpClient = new HttpClient();
        var options = StubbedGraph.TestOptions(graph.Stub.BaseUrl);
        options.AccessToken = null;
        var client = StubbedGraph.ClientWithoutEnvironment(httpClient, options);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.SubscribeWabaAsync(GraphStub.WabaId, Ct));

        Assert.Contains("WABAHOOKS_ACCESS_TOKEN", exception.Message, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task Ids_are_escaped_into_the_path()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await graph.Client.SubscribeWabaAsync("1/../2", Ct);

        Assert.Equal("/v24.0/1%2F..%2F2/subscribed_apps", Assert.Single(graph.Requests).Path);
    }

    private static string UriOfLength(int length)
    {
        const string prefix = "https://hooks.example.com/";
        return prefix + new string('a', length - prefix.Length);
    }
}
