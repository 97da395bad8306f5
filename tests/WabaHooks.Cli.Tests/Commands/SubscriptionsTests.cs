using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class SubscriptionsTests
{
    private const string AccessToken = GraphStub.AccessToken;
    private const string AppCallbackUrl = "https://hooks.example.com/webhook";
    private const string WabaOverrideUri = "https://waba.example.com/webhook";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscriptions_list_for_an_app_shows_the_callback_and_each_field_with_its_version()
    {
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.SubscribeApp(AppCallbackUrl, [("messages", "v24.0"), ("account_update", "v23.0")]);

        var result = await CliCommand.RunAsync("subscriptions", "list", "--app-id", GraphStub.AppId, "--app-secret", GraphStub.AppSecret, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("GET", $"/v24.0/{GraphStub.AppId}/subscriptions", GraphStub.AppAccessToken), (request.Method, request.Path, request.Query["access_token"]));
        Assert.Contains(AppCallbackUrl, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("messages (v24.0), account_update (v23.0)", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(GraphStub.AppSecret, result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriptions_list_for_a_waba_shows_each_app_and_its_override()
    {
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.SubscribeWaba(overrideCallbackUri: WabaOverrideUri);

        var result = await CliCommand.RunAsync("subscriptions", "list", "--waba-id", GraphStub.WabaId, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Equal(("GET", $"/v24.0/{GraphStub.WabaId}/subscribed_apps"), (graph.Requests[0].Method, graph.Requests[0].Path));
        Assert.Contains(GraphStub.AppName, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(WabaOverrideUri, result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriptions_list_for_a_phone_number_shows_its_webhook_configuration_and_the_callback_in_force()
    {
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.SetPhoneNumberOverride("https://phone.example.com/webhook");

        var result = await CliCommand.RunAsync("subscriptions", "list", "--phone-number-id", GraphStub.PhoneNumberId, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("GET", $"/v24.0/{GraphStub.PhoneNumberId}", "webhook_configuration"), (request.Method, request.Path, request.Query["fields"]));
        Assert.Contains("messages webhooks go to https://phone.example.com/webhook", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsubscribe_app_deletes_the_whatsapp_business_account_subscription_or_some_fields()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        // A ready app access token (APP_ID|SECRET) passed as --access-token, as /{app-id}/subscriptions needs.
        var all = await CliCommand.RunAsync("unsubscribe", "app", "--app-id", GraphStub.AppId, "--access-token", GraphStub.AppAccessToken, "--graph-url", graph.BaseUrl.ToString());
        var some = await CliCommand.RunAsync("unsubscribe", "app", "--app-id", GraphStub.AppId, "--fields", "account_update", "--access-token", GraphStub.AppAccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.Equal((0, 0), (all.ExitCode, some.ExitCode));
        Assert.All(graph.Requests, r => Assert.Equal(("DELETE", $"/v24.0/{GraphStub.AppId}/subscriptions", "whatsapp_business_account"), (r.Method, r.Path, r.Query["object"])));
        Assert.False(graph.Requests[0].Query.ContainsKey("fields"));
        Assert.Equal("account_update", graph.Requests[1].Query["fields"]);
    }

    [Fact]
    public async Task Unsubscribe_waba_deletes_subscribed_apps_and_with_override_only_posts_again_with_no_body()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var unsubscribed = await CliCommand.RunAsync("unsubscribe", "waba", "--waba-id", GraphStub.WabaId, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());
        var overrideRemoved = await CliCommand.RunAsync("unsubscribe", "waba", "--waba-id", GraphStub.WabaId, "--override-only", "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.Equal((0, 0), (unsubscribed.ExitCode, overrideRemoved.ExitCode));
        Assert.Equal(
            [("DELETE", $"/v24.0/{GraphStub.WabaId}/subscribed_apps", ""), ("POST", $"/v24.0/{GraphStub.WabaId}/subscribed_apps", "")],
            graph.Requests.Select(r => (r.Method, r.Path, r.Body)));
    }

    [Fact]
    public async Task Unsubscribe_phone_posts_an_empty_override_callback_uri()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync("unsubscribe", "phone", "--phone-number-id", GraphStub.PhoneNumberId, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", $"/v24.0/{GraphStub.PhoneNumberId}", """{"webhook_configuration":{"override_callback_uri":""}}"""), (request.Method, request.Path, request.Body));
    }
}
