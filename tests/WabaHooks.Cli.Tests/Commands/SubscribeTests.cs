using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing.Graph;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class SubscribeTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    private const string AccessToken = GraphStub.AccessToken;
    private const string AppSecret = GraphStub.AppSecret;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscribe_app_passes_preflight_against_serve_then_posts_the_subscription_form_with_the_app_token()
    {
        await using var graph = await GraphStub.StartAsync(Ct);
        var callback = serve.CallbackUrl + "?tenant=acme";

        var result = await CliCommand.RunAsync(
            "subscribe", "app", "--app-id", GraphStub.AppId, "--callback-url", callback, "--verify-token", ServeFixture.VerifyToken,
            "--fields", "messages, account_update", "--app-secret", AppSecret, "--graph-url", graph.BaseUrl.ToString(), "--graph-version", "v23.0");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("PASS  verification request", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Subscribed app {GraphStub.AppId}", result.StandardOutput, StringComparison.Ordinal);
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", $"/v23.0/{GraphStub.AppId}/subscriptions"), (request.Method, request.Path));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["object"] = "whatsapp_business_account",
                ["callback_url"] = callback,
                ["verify_token"] = ServeFixture.VerifyToken,
                ["fields"] = "messages,account_update",
                ["include_values"] = "true",
                ["access_token"] = GraphStub.AppId + "|" + AppSecret,
            },
            request.Form);
        Assert.DoesNotContain(AppSecret, result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_waba_without_an_override_posts_subscribed_apps_with_no_body_and_the_token_from_the_environment()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync(
            new Dictionary<string, string> { ["WABAHOOKS_ACCESS_TOKEN"] = AccessToken },
            "subscribe", "waba", "--waba-id", GraphStub.WabaId, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", $"/v24.0/{GraphStub.WabaId}/subscribed_apps", "", "Bearer " + AccessToken), (request.Method, request.Path, request.Body, request.Authorization));
        Assert.DoesNotContain("preflight", result.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AccessToken, result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_waba_with_an_override_checks_the_override_url_then_posts_it_with_its_verify_token()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync(
            "subscribe", "waba", "--waba-id", GraphStub.WabaId, "--override-callback-url", serve.CallbackUrl.ToString(),
            "--verify-token", ServeFixture.VerifyToken, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("PASS  wrong verify token refused", result.StandardOutput, StringComparison.Ordinal);
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", $"/v24.0/{GraphStub.WabaId}/subscribed_apps"), (request.Method, request.Path));
        Assert.Equal($$"""{"override_callback_uri":"{{serve.CallbackUrl}}","verify_token":"{{ServeFixture.VerifyToken}}"}""", request.Body);
        Assert.DoesNotContain(AccessToken, result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_phone_checks_the_override_url_then_posts_its_webhook_configuration()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync(
            "subscribe", "phone", "--phone-number-id", GraphStub.PhoneNumberId, "--override-callback-url", serve.CallbackUrl.ToString(),
            "--verify-token", ServeFixture.VerifyToken, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.True(result.ExitCode == 0, result.AllOutput());
        var request = Assert.Single(graph.Requests);
        Assert.Equal(("POST", $"/v24.0/{GraphStub.PhoneNumberId}", "Bearer " + AccessToken), (request.Method, request.Path, request.Authorization));
        Assert.Equal($$$"""{"webhook_configuration":{"override_callback_uri":"{{{serve.CallbackUrl}}}","verify_token":"{{{ServeFixture.VerifyToken}}}"}}""", request.Body);
        Assert.Contains($"Phone number {GraphStub.PhoneNumberId}: messages webhooks now go to {serve.CallbackUrl}", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Graph_error_prints_Metas_message_code_subcode_and_fbtrace_id_and_never_the_token()
    {
        await using var graph = await GraphStub.StartAsync(Ct);
        graph.Enqueue(ScriptedReply.Error(400, 190, $"Error validating access token {AccessToken}: Session has expired.", subcode: 463, fbtraceId: "AbCdEfGhIjKl"));

        var result = await CliCommand.RunAsync(
            "subscribe", "waba", "--waba-id", GraphStub.WabaId, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Session has expired.", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("code:              190", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("error_subcode:     463", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("fbtrace_id:        AbCdEfGhIjKl", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, result.AllOutput(), StringComparison.Ordinal);
        Assert.Single(graph.Requests);
    }

    [Fact]
    public async Task Without_any_token_subscribe_stops_before_preflight_and_before_any_Graph_call()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync(
            "subscribe", "phone", "--phone-number-id", GraphStub.PhoneNumberId, "--override-callback-url", serve.CallbackUrl.ToString(),
            "--verify-token", ServeFixture.VerifyToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("WABAHOOKS_ACCESS_TOKEN", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }
}
