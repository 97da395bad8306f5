using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing.Graph;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class PreflightTests(VerificationEndpoints endpoints) : IClassFixture<VerificationEndpoints>
{
    private const string AccessToken = GraphStub.AccessToken;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> FailureModes => new()
    {
        { "forbidden", "answered HTTP 403 (Forbidden) instead of 200" },
        { "error", "answered HTTP 500 (InternalServerError) instead of 200" },
        { "quoted", "with the challenge JSON-quoted" },
        { "newline", "with whitespace around the challenge" },
        { "wrong-body", "the body is not the challenge: expected '" },
        { "any-token", "answered 200 with the challenge to a wrong hub.verify_token" },
        { "unreachable", "not reachable" },
    };

    private Uri UrlFor(string mode) => mode == "unreachable"
        ? new Uri($"http://127.0.0.1:{FreePort.Next()}/webhook")
        : endpoints.Url(mode);

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task Subscribe_app_stops_with_a_precise_error_before_any_Graph_call_when_the_endpoint_would_fail_verification(string mode, string expected)
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync(
            "subscribe", "app", "--app-id", GraphStub.AppId, "--callback-url", UrlFor(mode).ToString(), "--verify-token", VerificationEndpoints.VerifyToken,
            "--fields", "messages", "--access-token", GraphStub.AppAccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.Equal(4, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing was sent to the Graph API", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task Waba_and_phone_overrides_are_checked_before_any_Graph_call_too()
    {
        await using var graph = await GraphStub.StartAsync(Ct);
        var url = endpoints.Url("quoted").ToString();

        var waba = await CliCommand.RunAsync(
            "subscribe", "waba", "--waba-id", GraphStub.WabaId, "--override-callback-url", url, "--verify-token", VerificationEndpoints.VerifyToken,
            "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());
        var phone = await CliCommand.RunAsync(
            "subscribe", "phone", "--phone-number-id", GraphStub.PhoneNumberId, "--override-callback-url", url, "--verify-token", VerificationEndpoints.VerifyToken,
            "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.Equal((4, 4), (waba.ExitCode, phone.ExitCode));
        Assert.Contains("JSON-quoted", waba.StandardError, StringComparison.Ordinal);
        Assert.Contains("JSON-quoted", phone.StandardError, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task The_correct_endpoint_passes_and_skip_preflight_calls_the_Graph_API_without_checking()
    {
        await using var graph = await GraphStub.StartAsync(Ct);
        string[] Subscribe(string mode, params string[] more) =>
        [
            "subscribe", "app", "--app-id", GraphStub.AppId, "--callback-url", endpoints.Url(mode).ToString(), "--verify-token", VerificationEndpoints.VerifyToken,
            "--fields", "messages", "--access-token", GraphStub.AppAccessToken, "--graph-url", graph.BaseUrl.ToString(), .. more,
        ];

        var correct = await CliCommand.RunAsync(Subscribe("correct"));
        var skipped = await CliCommand.RunAsync(Subscribe("forbidden", "--skip-preflight"));

        Assert.True(correct.ExitCode == 0, correct.AllOutput());
        Assert.True(skipped.ExitCode == 0, skipped.AllOutput());
        Assert.Contains("Preflight skipped", skipped.StandardOutput, StringComparison.Ordinal);
        Assert.Equal([endpoints.Url("correct").ToString(), endpoints.Url("forbidden").ToString()], graph.Requests.Select(r => r.Form["callback_url"]));
    }

    [Fact]
    public async Task An_override_url_longer_than_200_characters_is_refused_before_anything_is_sent()
    {
        await using var graph = await GraphStub.StartAsync(Ct);

        var result = await CliCommand.RunAsync(
            "subscribe", "phone", "--phone-number-id", GraphStub.PhoneNumberId, "--override-callback-url", endpoints.Url("correct") + "?pad=" + new string('x', 200),
            "--verify-token", VerificationEndpoints.VerifyToken, "--access-token", AccessToken, "--graph-url", graph.BaseUrl.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("at most 200 characters", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(graph.Requests);
    }
}
