using System.Text.Json;
using System.Text.Json.Nodes;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Graph;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Doctor;

/// <summary>
/// <c>wabahooks doctor</c> against a real <c>serve</c> on a real SQLite store, a real destination receiver and the
/// Graph stub holding the subscriptions.
/// </summary>
public sealed class DoctorDeploymentTests : IAsyncLifetime
{
    private const string VerifyToken = "doctor-verify-token-8812";
    private readonly TempDirectory _dir = new();
    private GraphStub _graph = null!;
    private DestinationServer _receiver = null!;
    private CliProcess _serve = null!;
    private Uri _callbackUrl = null!;

    private string Config => _dir.Combine("wabahooks.json");

    public async ValueTask InitializeAsync()
    {
        _graph = await GraphStub.StartAsync(TestContext.Current.CancellationToken);
        _receiver = await DestinationServer.StartAsync();
        WriteConfig(DestinationConfig.Meta("crm", _receiver.Url));
        (_serve, _callbackUrl) = await CliProcess.StartServeAsync(["--config", Config, "--urls", "http://127.0.0.1:0"], _dir.Path);
    }

    [Fact]
    public async Task A_healthy_deployment_passes_every_check_it_can_make_and_exits_0()
    {
        _graph.SubscribeApp(_callbackUrl.ToString(), [("messages", "v24.0"), ("account_update", "v24.0")]);
        _graph.SubscribeWaba();

        var run = await DoctorAsync();

        Assert.True(run.ExitCode == 0, run.Output);
        foreach (var check in new[]
        {
            "configuration", "app secret", "store reachable", "store schema", "disk space", "callback handshake", "app subscription",
            $"WABA subscribed_apps {GraphStub.WabaId}", $"phone number callback {GraphStub.PhoneNumberId}", "destination crm", "clock skew",
        })
        {
            run.AssertVerdict(check, "pass");
        }

        // The callback is plain http on loopback: nothing to judge a certificate on, and the doctor says how to check it.
        run.AssertVerdict("TLS certificate expiry", "skip");
        Assert.Contains("--url", run["TLS certificate expiry"].Fix, StringComparison.Ordinal);
        Assert.Contains("messages (v24.0)", run["app subscription"].Detail, StringComparison.Ordinal);
        Assert.Single(_receiver.Received);
        Assert.DoesNotContain(GraphStub.AccessToken, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(GraphStub.AppSecret, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriptions_and_destinations_that_send_events_elsewhere_each_fail_with_their_fix()
    {
        const string elsewhere = "https://old-gateway.example.com/webhook";
        const string silentWaba = "109876543210099";
        _graph.SubscribeApp(elsewhere, [("account_update", "v24.0")]);
        _graph.SubscribeWaba(overrideCallbackUri: "https://override.example.com/hook");
        _graph.SetPhoneNumberOverride("https://phone-override.example.com/hook");
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/hook");
        WriteConfig(DestinationConfig.Meta("crm", _receiver.Url), DestinationConfig.Meta("gone", closed));

        var run = await DoctorAsync("--waba-id", GraphStub.WabaId, "--waba-id", silentWaba);

        Assert.Equal(1, run.ExitCode);
        var app = run["app subscription"];
        Assert.Equal("fail", app.Verdict);
        Assert.Contains($"Meta delivers to {elsewhere}", app.Detail, StringComparison.Ordinal);
        Assert.Contains("fields missing: messages", app.Detail, StringComparison.Ordinal);
        Assert.Contains("wabahooks subscribe app", app.Fix, StringComparison.Ordinal);

        var waba = run[$"WABA subscribed_apps {GraphStub.WabaId}"];
        Assert.Equal("fail", waba.Verdict);
        Assert.Contains("override sends its messages webhooks to https://override.example.com/hook", waba.Detail, StringComparison.Ordinal);
        Assert.Contains("--override-only", waba.Fix, StringComparison.Ordinal);
        var silent = run[$"WABA subscribed_apps {silentWaba}"];
        Assert.Equal("fail", silent.Verdict);
        Assert.Contains($"app {GraphStub.AppId} is not subscribed", silent.Detail, StringComparison.Ordinal);
        Assert.Contains($"wabahooks subscribe waba --waba-id {silentWaba}", silent.Fix, StringComparison.Ordinal);

        var phone = run[$"phone number callback {GraphStub.PhoneNumberId}"];
        Assert.Equal("fail", phone.Verdict);
        Assert.Contains("its phone-number override sends this number's messages to https://phone-override.example.com/hook", phone.Detail, StringComparison.Ordinal);
        Assert.Contains($"wabahooks unsubscribe phone --phone-number-id {GraphStub.PhoneNumberId}", phone.Fix, StringComparison.Ordinal);

        run.AssertVerdict("destination gone", "fail");
        Assert.Contains("wabahooks destinations test gone", run["destination gone"].Fix, StringComparison.Ordinal);

        // Each failure is its own: what is right still passes beside them.
        run.AssertVerdict("destination crm", "pass");
        run.AssertVerdict("callback handshake", "pass");
        run.AssertVerdict("store schema", "pass");
        run.AssertVerdict("clock skew", "pass");
    }

    [Fact]
    public async Task Without_a_graph_token_the_subscription_checks_are_skipped_with_how_to_run_them()
    {
        var result = await CliProcess.RunAsync(["doctor", "--config", Config, "--url", _callbackUrl.ToString(), "--graph-url", _graph.BaseUrl.ToString()], _dir.Path);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("SKIP  app subscription: no Graph token.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fix: Give --access-token", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PASS  callback handshake:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"\d+ passed, 0 failed, \d+ skipped\.", result.StandardOutput);
    }

    private Task<DoctorRun> DoctorAsync(params string[] more) => DoctorRun.RunAsync(
    [
        "--config", Config,
        "--url", _callbackUrl.ToString(),
        "--graph-url", _graph.BaseUrl.ToString(),
        "--access-token", GraphStub.AccessToken,
        "--app-id", GraphStub.AppId,
        "--app-secret", GraphStub.AppSecret,
        "--phone-number-id", GraphStub.PhoneNumberId,
        .. more.Length > 0 ? more : ["--waba-id", GraphStub.WabaId],
    ]);

    private void WriteConfig(params JsonObject[] destinations)
    {
        var root = new JsonObject
        {
            ["WabaHooks"] = new JsonObject
            {
                ["VerifyToken"] = VerifyToken,
                ["AppSecrets"] = new JsonArray($"{GraphStub.AppId}:{ServeFixture.AppSecret}"),
                ["Sqlite"] = new JsonObject { ["DataDirectory"] = _dir.Combine("data") },
                ["Destinations"] = new JsonArray([.. destinations]),
            },
        };
        File.WriteAllText(Config, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public async ValueTask DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _receiver.DisposeAsync();
        await _graph.DisposeAsync();
        _dir.Dispose();
    }
}
