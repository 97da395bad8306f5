using System.Text.Json.Nodes;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// <c>events replay</c> beside a running serve: what it queues, serve sends again with the original idempotency key.
/// Each test waits for what it replayed to arrive, so the next one starts from a quiet destination.
/// </summary>
public sealed class EventsReplayTests(EventsReplayTests.Fixture fixture) : IClassFixture<EventsReplayTests.Fixture>
{
    private const string TextKey = "msg:wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==";
    private const string ForwardedTextKey = "msg:wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0004AA==";
    private const string ImageKey = "msg:wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0008AA==";

    private static readonly string[] Payloads = ["messages-text.json", "messages-text-forwarded.json", "messages-status-delivered.json", "messages-image.json"];

    public sealed class Fixture : DestinationGatewayFixture
    {
        /// <summary>meta, Types messages.*: every message, no status.</summary>
        public DestinationServer Crm { get; private set; } = null!;

        /// <summary>event, no filter.</summary>
        public DestinationServer Events { get; private set; } = null!;

        public IReadOnlyList<string> AllKeys { get; } = [.. Payloads.SelectMany(EventsOf).Select(e => e.Id)];

        public string StatusKey => AllKeys.Single(k => k.StartsWith("status:", StringComparison.Ordinal));

        protected override async Task<IReadOnlyList<JsonObject>> CreateDestinationsAsync()
        {
            Crm = await StartServerAsync();
            Events = await StartServerAsync();
            return [DestinationConfig.Meta("crm", Crm.Url, "messages.*"), DestinationConfig.Event("events", Events.Url)];
        }

        protected override async Task SeedAsync()
        {
            foreach (var payload in Payloads)
            {
                await PostAsync(payload);
            }

            await WaitForBacklogAsync("crm", b => b.Done == 3, "the three messages delivered to crm");
            await WaitForBacklogAsync("events", b => b.Done == 4, "the four events delivered to events");
        }
    }

    [Fact]
    public async Task Replaying_one_event_sends_it_again_with_the_same_webhook_id_and_body()
    {
        Assert.Equal(4, fixture.AllKeys.Count);
        var before = fixture.Events.Received.Where(r => r.KeyOfEvent() == TextKey).ToList();
        Assert.NotEmpty(before);

        var result = await fixture.RunAsync("events", "replay", TextKey, "--destination", "events");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("1 event queued for events; a running wabahooks serve sends them.", result.StandardOutput, StringComparison.Ordinal);
        await fixture.Events.WaitUntilAsync(r => r.Count(x => x.KeyOfEvent() == TextKey) > before.Count, DestinationGatewayFixture.Bound, "the replayed event");
        var replayed = fixture.Events.Received.Where(r => r.KeyOfEvent() == TextKey).Last();
        Assert.Equal(TextKey, replayed.Header("webhook-id"));
        Assert.True(replayed.HasValidStandardSignature(), "the replay is signed like the first time");
        Assert.Equal(before[0].Body, replayed.Body);
    }

    [Fact]
    public async Task Replaying_to_a_meta_destination_with_follow_resends_the_event_in_a_signed_envelope_and_waits_until_it_is_delivered()
    {
        var before = fixture.Crm.TimesAccepted(ImageKey, meta: true);
        Assert.True(before >= 1, "the image reached crm before the replay");

        var result = await fixture.RunAsync("events", "replay", ImageKey, "--destination", "crm", "--follow");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("1 event queued for crm", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^crm: 0 pending, \d+ delivered, 0 dead$", result.StandardError);
        // --follow returned once nothing was pending: the replay has been sent and answered.
        Assert.Equal(before + 1, fixture.Crm.TimesAccepted(ImageKey, meta: true));
        var replayed = fixture.Crm.Received.Last(r => r.KeysInEnvelope().Contains(ImageKey));
        Assert.Equal([ImageKey], replayed.KeysInEnvelope());
        Assert.True(replayed.HasValidHubSignature(), "X-Hub-Signature-256 verifies");
    }

    [Fact]
    public async Task Replaying_a_range_queues_only_the_events_of_the_type_given_and_prints_how_many()
    {
        var before = new Dictionary<string, (int Accepted, int Attempts)>();
        foreach (var key in fixture.AllKeys)
        {
            before[key] = (fixture.Events.TimesAccepted(key, meta: false), await fixture.AttemptCountAsync(key, "events"));
        }

        var result = await fixture.RunAsync("events", "replay", "--since", "1h", "--type", "messages.text", "--destination", "events");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("2 events queued for events", result.StandardOutput, StringComparison.Ordinal);
        // The replay queued its work before it returned: once nothing is pending for the destination, every request
        // the replay caused has been sent, answered and recorded, and no other is coming.
        await fixture.WaitForBacklogAsync("events", b => b.Pending == 0 && b.Dead == 0 && b.Done == fixture.AllKeys.Count, "the replayed events delivered");
        foreach (var (key, (accepted, attempts)) in before)
        {
            var again = key is TextKey or ForwardedTextKey ? 1 : 0;
            Assert.Equal((key, attempts + again), (key, await fixture.AttemptCountAsync(key, "events")));
            Assert.Equal((key, accepted + again), (key, fixture.Events.TimesAccepted(key, meta: false)));
        }
    }

    [Fact]
    public async Task Replaying_a_range_skips_the_events_the_destinations_filter_does_not_take_and_says_so()
    {
        var before = fixture.AllKeys.ToDictionary(k => k, k => fixture.Crm.TimesAccepted(k, meta: true));

        var result = await fixture.RunAsync("events", "replay", "--since", "1h", "--destination", "crm");

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("3 events queued for crm", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 event(s) in the range are not ones crm takes (types messages.*); skipped.", result.StandardError, StringComparison.Ordinal);
        await fixture.Crm.WaitUntilAsync(
            _ => before.Where(b => b.Key != fixture.StatusKey).All(b => fixture.Crm.TimesAccepted(b.Key, meta: true) > b.Value),
            DestinationGatewayFixture.Bound,
            "the three messages again");
        // The status has no work for crm in the store, so nothing will ever send it there.
        Assert.False(await fixture.HasWorkAsync(fixture.StatusKey, "crm"), "the status was queued for crm");
        Assert.Equal(0, fixture.Crm.TimesAccepted(fixture.StatusKey, meta: true));
    }

    [Fact]
    public async Task Replaying_an_event_the_destinations_filter_does_not_take_exits_1_and_queues_nothing()
    {
        var result = await fixture.RunAsync("events", "replay", fixture.StatusKey, "--destination", "crm");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"event {fixture.StatusKey} (statuses.delivered) is not one destination crm takes (types messages.*); nothing replayed.", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("queued", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(await fixture.HasWorkAsync(fixture.StatusKey, "crm"), "the status was never queued for crm");
        Assert.True(await fixture.HasWorkAsync(fixture.StatusKey, "events"), "the check can see queued work");
    }

    [Fact]
    public async Task Replaying_an_unknown_event_id_exits_3()
    {
        var result = await fixture.RunAsync("events", "replay", "msg:wamid.nothing-like-it", "--destination", "events");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no event with id msg:wamid.nothing-like-it", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaying_to_an_unknown_destination_exits_2_naming_the_configured_ones()
    {
        var result = await fixture.RunAsync("events", "replay", TextKey, "--destination", "crn");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--destination crn: no destination named 'crn'; the configured ones are crm, events.", result.StandardError, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> UsageErrors() => new()
    {
        { [TextKey, "--since", "1h"], "Give either one event ID or --since" },
        { [], "Give either one event ID or --since" },
        { [TextKey, "--type", "messages.text"], "--until, --field and --type select a range: use them with --since" },
        { ["--since", "yesterday"], "--since: 'yesterday'" },
        { ["--since", "1h", "--until", "soon"], "--until: 'soon'" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task An_id_and_a_range_together_or_neither_or_an_unreadable_time_exits_2(string[] arguments, string message)
    {
        var result = await fixture.RunAsync(["events", "replay", .. arguments, "--destination", "events"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("queued", result.StandardOutput, StringComparison.Ordinal);
    }
}
