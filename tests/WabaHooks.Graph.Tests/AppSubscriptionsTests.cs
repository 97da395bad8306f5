using WabaHooks.Graph.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests;

public sealed class AppSubscriptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SubscribeApp_posts_the_documented_form_with_the_app_token_as_access_token()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await graph.Client.SubscribeAppAsync(
            GraphStub.AppId, "https://hooks.example.com/webhooks/whatsapp", "my-verify-token", ["messages", "message_template_status_update"], cancellationToken: Ct);

        var request = Assert.Single(graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v24.0/1234567890/subscriptions", request.Path);
        Assert.Empty(request.Query);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["object"] = "whatsapp_business_account",
                ["callback_url"] = "https://hooks.example.com/webhooks/whatsapp",
                ["verify_token"] = "my-verify-token",
                ["fields"] = "messages,message_template_status_update",
                ["include_values"] = "true",
                ["access_token"] = "1234567890|0123456789abcdef0123456789abcdef",
            },
            request.Form);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task SubscribeApp_can_turn_include_values_off()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://hooks.example.com/w", "t", ["messages"], includeValues: false, Ct);

        Assert.Equal("false", Assert.Single(graph.Requests).Form["include_values"]);
    }

    [Fact]
    public async Task GetAppSubscriptions_reads_objects_callbacks_and_field_versions()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://hooks.example.com/w", "t", ["messages", "account_update"], cancellationToken: Ct);

        var subscriptions = await graph.Client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct);

        var request = graph.Requests[^1];
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v24.0/1234567890/subscriptions", request.Path);
        Assert.Equal(new Dictionary<string, string> { ["access_token"] = GraphStub.AppAccessToken }, request.Query);
        var subscription = Assert.Single(subscriptions);
        Assert.Equal("whatsapp_business_account", subscription.Object);
        Assert.Equal("https://hooks.example.com/w", subscription.CallbackUrl);
        Assert.True(subscription.Active);
        Assert.Equal(["messages", "account_update"], subscription.Fields.Select(f => f.Name));
        Assert.All(subscription.Fields, f => Assert.Equal("v24.0", f.Version));
    }

    [Fact]
    public async Task GetAppSubscriptions_keeps_properties_it_does_not_name_and_reads_active_as_a_string()
    {
        await using var graph = await StubbedGraph.StartAsync();
        graph.Stub.Enqueue(ScriptedReply.Success(
            """{"data":[{"object":"whatsapp_business_account","callback_url":"https://a.example/w","active":"true","fields":[{"name":"messages","version":"v23.0"}],"new_thing":42}]}"""));

        var subscription = Assert.Single(await graph.Client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct));

        Assert.True(subscription.Active);
        Assert.Equal("v23.0", Assert.Single(subscription.Fields).Version);
        Assert.Equal(42, subscription.AdditionalProperties!["new_thing"].GetInt32());
    }

    [Fact]
    public async Task UnsubscribeApp_without_fields_deletes_the_whole_object()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://hooks.example.com/w", "t", ["messages"], cancellationToken: Ct);

        await graph.Client.UnsubscribeAppAsync(GraphStub.AppId, cancellationToken: Ct);

        var request = graph.Requests[^1];
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/v24.0/1234567890/subscriptions", request.Path);
        Assert.Equal(
            new Dictionary<string, string> { ["object"] = "whatsapp_business_account", ["access_token"] = GraphStub.AppAccessToken },
            request.Query);
        Assert.Empty(await graph.Client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct));
    }

    [Fact]
    public async Task UnsubscribeApp_with_fields_removes_only_those_fields()
    {
        await using var graph = await StubbedGraph.StartAsync();
        await graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://hooks.example.com/w", "t", ["messages", "account_update", "history"], cancellationToken: Ct);

        await graph.Client.UnsubscribeAppAsync(GraphStub.AppId, ["account_update", "history"], Ct);

        Assert.Equal("account_update,history", graph.Requests[^1].Query["fields"]);
        var remaining = Assert.Single(await graph.Client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct));
        Assert.Equal(["messages"], remaining.Fields.Select(f => f.Name));
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://hooks.example.com/w")]
    [InlineData("")]
    public async Task SubscribeApp_refuses_a_callback_url_that_is_not_absolute_http_without_sending(string callbackUrl)
    {
        await using var graph = await StubbedGraph.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(
            () => graph.Client.SubscribeAppAsync(GraphStub.AppId, callbackUrl, "t", ["messages"], cancellationToken: Ct));

        Assert.Equal("callbackUrl", exception.ParamName);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task SubscribeApp_refuses_no_fields_and_fields_with_commas()
    {
        await using var graph = await StubbedGraph.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://a.example/w", "t", [], cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://a.example/w", "t", ["a,b"], cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => graph.Client.SubscribeAppAsync(GraphStub.AppId, "https://a.example/w", "", ["messages"], cancellationToken: Ct));

        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task App_calls_without_any_token_fail_before_sending_and_say_what_to_set()
    {
        await using var graph = await StubbedGraph.StartAsync();
        using var httpClient = new HttpClient();
        var options = StubbedGraph.TestOptions(graph.Stub.BaseUrl);
        options.AppAccessToken = null;
        options.AccessToken = null;
        var client = StubbedGraph.ClientWithoutEnvironment(httpClient, options);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAppSubscriptionsAsync(GraphStub.AppId, Ct));

        Assert.Contains("AppAccessToken", exception.Message, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }
}
