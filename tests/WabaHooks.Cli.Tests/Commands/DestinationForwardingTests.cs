using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// <c>serve</c> with destinations from a configuration file forwards each one what its filter selects, signed; and
/// <c>destinations list</c> shows them with their backlog and health.
/// </summary>
public sealed class DestinationForwardingTests(DestinationForwardingTests.Fixture fixture) : IClassFixture<DestinationForwardingTests.Fixture>
{
    private const string Time = @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d";

    private static readonly string[] Payloads =
        ["messages-text.json", "messages-status-delivered.json", "account_update-disabled.json", "messages-batched-mixed.json"];

    public sealed class Fixture : DestinationGatewayFixture
    {
        public DestinationServer Statuses { get; private set; } = null!;

        public DestinationServer Everything { get; private set; } = null!;

        public DestinationServer Failing { get; private set; } = null!;

        public IReadOnlyList<(string Id, string Type)> Events { get; } =
            [.. Payloads.SelectMany(EventsOf).Select(e => (e.Id, e.Type))];

        public IReadOnlyList<string> StatusKeys => [.. Events.Where(e => e.Type.StartsWith("statuses.", StringComparison.Ordinal)).Select(e => e.Id)];

        public IReadOnlyList<string> TextKeys => [.. Events.Where(e => e.Type == "messages.text").Select(e => e.Id)];

        protected override async Task<IReadOnlyList<JsonObject>> CreateDestinationsAsync()
        {
            Statuses = await StartServerAsync();
            Everything = await StartServerAsync();
            Failing = await StartServerAsync();
            Failing.Respond = (_, _, _) => Task.FromResult<int?>(500);
            return
            [
                DestinationConfig.Meta("statuses", Statuses.Url, "statuses.*"),
                DestinationConfig.Event("everything", Everything.Url),
                DestinationConfig.Meta("failing", Failing.Url, "messages.text"),
            ];
        }

        protected override async Task SeedAsync()
        {
            foreach (var payload in Payloads)
            {
                await PostAsync(payload);
            }

            // Sent, and recorded: the counts the list tests read are final from here on.
            await WaitForBacklogAsync("statuses", b => b.Done == StatusKeys.Count, "every status delivered to statuses");
            await WaitForBacklogAsync("everything", b => b.Done == Events.Count, "every event delivered to everything");
            await WaitForBacklogAsync("failing", b => b.LastFailure is not null && b.Pending == TextKeys.Count, "a failed attempt at failing");
        }
    }

    [Fact]
    public async Task Each_destination_gets_exactly_the_events_its_filter_selects_signed_with_its_secret()
    {
        Assert.True(fixture.StatusKeys.Count == 3 && fixture.Events.Count == 6 && fixture.TextKeys.Count == 2, "the payloads hold what this test expects");
        await fixture.Statuses.WaitUntilAsync(_ => fixture.Statuses.AcceptedKeys(meta: true).Count >= 3, DestinationGatewayFixture.Bound, "the statuses");
        await fixture.Everything.WaitUntilAsync(_ => fixture.Everything.AcceptedKeys(meta: false).Count >= 6, DestinationGatewayFixture.Bound, "every event");

        // meta, Types statuses.*: every status once, nothing else, in Meta's envelope under X-Hub-Signature-256.
        Assert.Equal(fixture.StatusKeys.Order(), fixture.Statuses.AcceptedKeys(meta: true).Order());
        Assert.All(fixture.Statuses.Received, r =>
        {
            Assert.True(r.HasValidHubSignature(), "X-Hub-Signature-256 verifies under the destination's secret");
            Assert.False(r.HasValidHubSignature("another-secret"));
            Assert.StartsWith("application/json", r.Header("Content-Type"), StringComparison.Ordinal);
        });
        // A delivery wholly for the destination travels byte for byte as Meta sent it.
        Assert.Contains(fixture.Statuses.Received, r => r.Body.SequenceEqual(ExamplePayloads.Read("messages-status-delivered.json")));

        // event, no filter: every event once, one per request, with the Standard Webhooks headers.
        var everything = fixture.Everything.Received;
        Assert.Equal(fixture.Events.Select(e => e.Id).Order(), everything.Select(r => r.KeyOfEvent()).Order());
        Assert.All(everything, r =>
        {
            Assert.True(r.HasValidStandardSignature(), "webhook-signature verifies under the destination's secret");
            Assert.Equal(fixture.Events.Single(e => e.Id == r.KeyOfEvent()).Type, r.TypeOfEvent());
        });

        // The failing destination was asked only for text messages.
        Assert.All(fixture.Failing.Received, r => Assert.All(r.KeysInEnvelope(), k => Assert.Contains(k, fixture.TextKeys)));
        DestinationConfig.AssertNoSecretIn(fixture.ServeOutput);
    }

    [Fact]
    public async Task List_shows_each_destination_with_format_url_filter_counts_and_health()
    {
        var result = await fixture.RunAsync("destinations", "list");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        DestinationConfig.AssertNoSecretIn(result.AllOutput());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^NAME\s+FORMAT\s+URL\s+FILTER\s+PENDING\s+DEAD\s+DONE\s+LAST ATTEMPT \(UTC\)\s+HEALTH$", lines[0]);
        Assert.Matches($@"^statuses\s+meta\s+{Regex.Escape(fixture.Statuses.Url.ToString())}\s+types statuses\.\*\s+0\s+0\s+3\s+{Time}\s+ok$", lines[1]);
        Assert.Matches($@"^everything\s+event\s+{Regex.Escape(fixture.Everything.Url.ToString())}\s+all events\s+0\s+0\s+6\s+{Time}\s+ok$", lines[2]);
        Assert.Matches(
            $@"^failing\s+meta\s+{Regex.Escape(fixture.Failing.Url.ToString())}\s+types messages\.text\s+2\s+0\s+0\s+{Time}\s+failing: HTTP 500 Internal Server Error \(at {Time}\); oldest pending \d+[smh]$",
            lines[3]);
    }

    [Fact]
    public async Task List_json_has_the_settings_the_counts_and_the_last_failure_of_each_destination()
    {
        var list = (await fixture.RunJsonAsync("destinations", "list")).EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);

        Assert.Equal(["everything", "failing", "statuses"], list.Keys.Order());
        var statuses = list["statuses"];
        Assert.Equal("meta", statuses.GetProperty("format").GetString());
        Assert.Equal(fixture.Statuses.Url.ToString(), statuses.GetProperty("url").GetString());
        Assert.Equal(["statuses.*"], statuses.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(statuses.GetProperty("fields").EnumerateArray());
        Assert.Equal((0, 0, 3), Counts(statuses));
        Assert.Equal("ok", statuses.GetProperty("health").GetString());
        Assert.Equal(JsonValueKind.Null, statuses.GetProperty("lastFailure").ValueKind);
        Assert.True(statuses.GetProperty("lastSuccessAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var everything = list["everything"];
        Assert.Equal("event", everything.GetProperty("format").GetString());
        Assert.Empty(everything.GetProperty("types").EnumerateArray());
        Assert.Equal((0, 0, 6), Counts(everything));

        var failing = list["failing"];
        Assert.Equal((2, 0, 0), Counts(failing));
        Assert.StartsWith("failing: HTTP 500 Internal Server Error", failing.GetProperty("health").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("lastSuccessAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, failing.GetProperty("oldestPendingSince").ValueKind);
        var lastFailure = failing.GetProperty("lastFailure");
        Assert.Equal(500, lastFailure.GetProperty("statusCode").GetInt32());
        Assert.Equal("HTTP 500 Internal Server Error", lastFailure.GetProperty("error").GetString());
        Assert.Equal("failing with 500", lastFailure.GetProperty("responseHead").GetString());
        Assert.Equal("destination:failing", lastFailure.GetProperty("sink").GetString());
    }

    private static (long Pending, long Dead, long Done) Counts(JsonElement destination) =>
        (destination.GetProperty("pending").GetInt64(), destination.GetProperty("dead").GetInt64(), destination.GetProperty("done").GetInt64());
}
