using System.Text.Json;
using System.Text.Json.Nodes;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>destinations list</c> before serve has ever run, and <c>destinations test NAME</c>: no serve needed.</summary>
public sealed class DestinationsCommandTests : IDisposable
{
    private const string Password = "pw-7731";
    private const string QueryToken = "tok-9912";

    private readonly TempDirectory _dir = new();

    private string ConfigPath => _dir.Combine("wabahooks.json");

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    private async Task<CliResult> RunAsync(IDictionary<string, string>? environment, params string[] arguments)
    {
        var result = await CliProcess.RunAsync(
            [.. arguments, "--config", ConfigPath, "--data-dir", _dir.Combine("data")], _dir.Path, environment, TimeSpan.FromSeconds(90));
        DestinationConfig.AssertNoSecretIn(result.AllOutput());
        return result;
    }

    private void Configure(params JsonObject[] destinations) => DestinationConfig.Write(ConfigPath, destinations);

    [Fact]
    public async Task List_before_serve_ever_ran_shows_the_settings_with_an_empty_backlog_and_no_credentials_query_or_secret()
    {
        var crm = DestinationConfig.Meta("crm", new Uri($"https://operator:{Password}@hooks.example.com/whatsapp?token={QueryToken}"), "messages.*");
        crm["Fields"] = new JsonArray("messages");
        Configure(crm, DestinationConfig.Event("analytics", new Uri("http://127.0.0.1:9/hooks"), "statuses.*"));

        var table = await RunAsync("destinations", "list");
        var json = await RunAsync("destinations", "list", "--json");

        Assert.True(table.ExitCode == 0, table.AllOutput());
        Assert.True(json.ExitCode == 0, json.AllOutput());
        foreach (var output in new[] { table.AllOutput(), json.AllOutput() })
        {
            Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
            Assert.DoesNotContain(QueryToken, output, StringComparison.Ordinal);
            Assert.DoesNotContain("operator", output, StringComparison.Ordinal);
        }

        var lines = table.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^crm\s+meta\s+https://hooks\.example\.com/whatsapp\s+fields messages; types messages\.\*\s+0\s+0\s+0\s+-\s+idle: nothing sent yet$", lines[1]);
        Assert.Matches(@"^analytics\s+event\s+http://127\.0\.0\.1:9/hooks\s+types statuses\.\*\s+0\s+0\s+0\s+-\s+idle: nothing sent yet$", lines[2]);

        using var document = JsonDocument.Parse(json.StandardOutput);
        var first = document.RootElement[0];
        Assert.Equal("crm", first.GetProperty("name").GetString());
        Assert.Equal("https://hooks.example.com/whatsapp", first.GetProperty("url").GetString());
        Assert.Equal(["messages"], first.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, first.GetProperty("pending").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("lastAttemptAt").ValueKind);
        Assert.Equal("idle: nothing sent yet", first.GetProperty("health").GetString());

        // Reading settings never creates a store.
        Assert.False(Directory.Exists(_dir.Combine("data")));
    }

    [Fact]
    public async Task List_without_destinations_says_where_to_configure_them()
    {
        Configure();

        var table = await RunAsync("destinations", "list");
        var json = await RunAsync("destinations", "list", "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains($"No destinations are configured in the configuration file {ConfigPath} (--config). Add them under \"WabaHooks\": {{ \"Destinations\"", table.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("[]", json.StandardOutput.Trim());
    }

    [Fact]
    public async Task Destinations_are_read_from_WABAHOOKS_environment_variables()
    {
        File.WriteAllText(ConfigPath, "{}");
        var environment = new Dictionary<string, string>
        {
            ["WABAHOOKS__DESTINATIONS__0__NAME"] = "analytics",
            ["WABAHOOKS__DESTINATIONS__0__URL"] = "https://analytics.internal/hooks",
            ["WABAHOOKS__DESTINATIONS__0__FORMAT"] = "event",
            ["WABAHOOKS__DESTINATIONS__0__SECRET"] = DestinationConfig.EventSecret,
            ["WABAHOOKS__DESTINATIONS__0__TYPES"] = "statuses.*,messages.text",
        };

        var result = await RunAsync(environment, "destinations", "list", "--json");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        using var document = JsonDocument.Parse(result.StandardOutput);
        var analytics = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("analytics", analytics.GetProperty("name").GetString());
        Assert.Equal("event", analytics.GetProperty("format").GetString());
        Assert.Equal("https://analytics.internal/hooks", analytics.GetProperty("url").GetString());
        Assert.Equal(["statuses.*", "messages.text"], analytics.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task A_typo_in_an_environment_variable_is_a_configuration_error()
    {
        File.WriteAllText(ConfigPath, "{}");
        var environment = new Dictionary<string, string>
        {
            ["WABAHOOKS__DESTINATIONS__0__NAME"] = "crm",
            ["WABAHOOKS__DESTINATIONS__0__URL"] = "https://crm.internal/hook",
            ["WABAHOOKS__DESTINATIONS__0__SECRET"] = DestinationConfig.MetaSecret,
            ["WABAHOOKS__DESTINATIONS__0__TYPE"] = "statuses.*",
        };

        var result = await RunAsync(environment, "destinations", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("WabaHooks:Destinations:0:TYPE is not a setting. Did you mean Types?", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Test_of_a_meta_destination_that_answers_2xx_exits_0_with_the_latency_after_sending_a_signed_messages_notification()
    {
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(202);
        Configure(DestinationConfig.Meta("crm", server.Url, "statuses.*"));

        var result = await RunAsync("destinations", "test", "crm");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Matches(@"^crm: HTTP 202 in \d+(\.\d)? ms \(accepted\)", result.StandardOutput);
        var request = Assert.Single(server.Received);
        Assert.Equal("/hook", request.Path);
        Assert.True(request.HasValidHubSignature(), "X-Hub-Signature-256 verifies under the destination's secret");
        var test = Assert.Single(DeliveryEventsOf(request));
        Assert.Equal("messages.text", test.Type);
        Assert.StartsWith("msg:wamid.wabahooks-test-", test.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_of_an_event_destination_sends_a_wabahooks_test_event_with_verifying_standard_webhooks_headers()
    {
        await using var server = await DestinationServer.StartAsync();
        Configure(DestinationConfig.Event("analytics", server.Url));

        var result = await RunAsync("destinations", "test", "analytics");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Matches(@"^analytics: HTTP 200 in \d+(\.\d)? ms \(accepted\)", result.StandardOutput);
        var request = Assert.Single(server.Received);
        Assert.True(request.HasValidStandardSignature(), "webhook-signature verifies under the destination's secret");
        Assert.Equal("wabahooks.test", request.TypeOfEvent());
        Assert.StartsWith("test:", request.KeyOfEvent(), StringComparison.Ordinal);
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Header("webhook-timestamp")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(sentAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Test_exits_1_with_the_status_and_the_answer_when_the_destination_answers_500()
    {
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(500);
        Configure(DestinationConfig.Meta("crm", server.Url));

        var result = await RunAsync("destinations", "test", "crm");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^crm: HTTP 500 in \d+(\.\d)? ms \(HTTP 500 Internal Server Error\)", result.StandardError);
        Assert.Contains("answer: failing with 500", result.StandardError, StringComparison.Ordinal);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task Test_exits_1_with_no_answer_when_nothing_listens()
    {
        var server = await DestinationServer.StartAsync();
        await server.StopAsync();
        Configure(DestinationConfig.Event("analytics", server.Url));

        var result = await RunAsync("destinations", "test", "analytics");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^analytics: no answer after \d+(\.\d)? ms \(.+\)", result.StandardError);
        Assert.Contains("refused", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Test_of_an_unknown_name_exits_2_naming_the_configured_destinations()
    {
        Configure(DestinationConfig.Meta("crm", new Uri("http://127.0.0.1:9/a")), DestinationConfig.Event("analytics", new Uri("http://127.0.0.1:9/b")));

        var result = await RunAsync("destinations", "test", "crn");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no destination named 'crn'; the configured ones are crm, analytics", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("--destination", result.StandardError, StringComparison.Ordinal);
    }

    private static IReadOnlyList<WabaHooks.Events.WabaEvent> DeliveryEventsOf(ReceivedRequest request) =>
        WabaHooks.Events.DeliverySplitter.Split(request.Body, 0).Events;
}
