using System.Text.Json;
using System.Text.Json.Nodes;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// <c>dead-letters list</c> and <c>retry</c> beside a running serve whose destinations answer 500 and have no retry
/// window, so their one event is a dead letter after the first attempt. "dead" stays that way; "revived" is fixed and
/// retried by one test.
/// </summary>
public sealed class DeadLettersCommandTests(DeadLettersCommandTests.Fixture fixture) : IClassFixture<DeadLettersCommandTests.Fixture>
{
    private const string TextKey = "msg:wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==";

    public sealed class Fixture : DestinationGatewayFixture
    {
        public DestinationServer Dead { get; private set; } = null!;

        public DestinationServer Revived { get; private set; } = null!;

        protected override async Task<IReadOnlyList<JsonObject>> CreateDestinationsAsync()
        {
            Dead = await StartServerAsync();
            Revived = await StartServerAsync();
            Dead.Respond = (_, _, _) => Task.FromResult<int?>(500);
            Revived.Respond = (_, _, _) => Task.FromResult<int?>(500);
            var dead = DestinationConfig.Meta("dead", Dead.Url, "messages.text");
            var revived = DestinationConfig.Event("revived", Revived.Url, "messages.text");
            dead["Retry"]!["Window"] = 0;
            revived["Retry"]!["Window"] = 0;
            return [dead, revived];
        }

        protected override async Task SeedAsync()
        {
            await PostAsync("messages-text.json");
            await WaitForBacklogAsync("dead", b => b.Dead == 1, "the text message dead-lettered at dead");
            await WaitForBacklogAsync("revived", b => b.Dead == 1, "the text message dead-lettered at revived");
        }
    }

    [Fact]
    public async Task List_for_a_destination_shows_its_dead_letters_with_the_last_error()
    {
        var result = await fixture.RunAsync("dead-letters", "list", "--destination", "dead");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        DestinationConfig.AssertNoSecretIn(result.AllOutput());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^SINK\s+EVENT\s+DELIVERY\s+ATTEMPTS\s+LAST ATTEMPT \(UTC\)\s+LAST ERROR$", lines[0]);
        Assert.Matches(
            $@"^destination:dead\s+{System.Text.RegularExpressions.Regex.Escape(TextKey)}\s+1\s+1\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+HTTP 500 Internal Server Error$",
            lines[1]);
    }

    [Fact]
    public async Task List_json_for_a_sink_has_the_event_its_attempts_and_the_last_error()
    {
        var dead = await fixture.RunJsonAsync("dead-letters", "list", "--sink", "destination:dead");

        var letter = Assert.Single(dead.EnumerateArray());
        Assert.Equal("destination:dead", letter.GetProperty("sink").GetString());
        Assert.Equal(TextKey, letter.GetProperty("eventId").GetString());
        Assert.Equal(1, letter.GetProperty("deliveryId").GetInt64());
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 500 Internal Server Error", letter.GetProperty("lastError").GetString());
        var sentAt = Assert.Single(fixture.Dead.Received).At;
        Assert.InRange(letter.GetProperty("lastAttemptAt").GetDateTimeOffset(), sentAt.AddSeconds(-2), sentAt.AddSeconds(2));
    }

    [Fact]
    public async Task Destinations_list_counts_the_dead_letters_and_shows_the_destination_failing()
    {
        var list = await fixture.RunJsonAsync("destinations", "list");

        var dead = list.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "dead");
        Assert.Equal(0, dead.GetProperty("pending").GetInt64());
        Assert.Equal(1, dead.GetProperty("dead").GetInt64());
        Assert.Equal(0, dead.GetProperty("done").GetInt64());
        Assert.Matches(@"^failing: HTTP 500 Internal Server Error \(at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)$", dead.GetProperty("health").GetString());
    }

    [Fact]
    public async Task Retry_makes_a_destinations_dead_letters_due_again_and_the_running_serve_delivers_them()
    {
        var before = await fixture.RunJsonAsync("dead-letters", "list", "--destination", "revived");
        Assert.Equal(TextKey, Assert.Single(before.EnumerateArray()).GetProperty("eventId").GetString());
        fixture.Revived.Respond = (_, _, _) => Task.FromResult<int?>(200);

        var retry = await fixture.RunAsync("dead-letters", "retry", "--destination", "revived");

        Assert.True(retry.ExitCode == 0, retry.AllOutput());
        Assert.Contains("1 dead letter due again for destination:revived. A running wabahooks serve sends them now.", retry.StandardOutput, StringComparison.Ordinal);
        await fixture.Revived.WaitUntilAsync(r => r.Any(x => x.Status == 200), DestinationGatewayFixture.Bound, "the retried event accepted");
        var delivered = fixture.Revived.Received.Single(r => r.Status == 200);
        Assert.Equal(TextKey, delivered.Header("webhook-id"));
        Assert.True(delivered.HasValidStandardSignature(), "the retry is signed");
        await fixture.WaitForBacklogAsync("revived", b => b.Done == 1 && b.Dead == 0, "the retry recorded as delivered");

        var after = await fixture.RunAsync("dead-letters", "list", "--destination", "revived");
        Assert.True(after.ExitCode == 0, after.AllOutput());
        Assert.Equal("No dead letters.", after.StandardOutput.Trim());
        // Only that destination's dead letters were retried.
        var all = await fixture.RunJsonAsync("dead-letters", "list");
        Assert.Equal(["destination:dead"], all.EnumerateArray().Select(d => d.GetProperty("sink").GetString()));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("retry")]
    public async Task Destination_and_sink_together_exit_2(string subcommand)
    {
        var result = await fixture.RunAsync("dead-letters", subcommand, "--destination", "dead", "--sink", "destination:dead");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--destination and --sink both name a sink: give one.", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.BacklogAsync("dead"))!.Dead);
    }

    [Fact]
    public async Task An_unconfigured_destination_exits_2_naming_the_configured_ones()
    {
        var result = await fixture.RunAsync("dead-letters", "retry", "--destination", "deda");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--destination deda: no destination named 'deda'; the configured ones are dead, revived.", result.StandardError, StringComparison.Ordinal);
    }
}
