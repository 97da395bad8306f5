using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

public sealed partial class EventsCommandTests(EventsCommandTests.Fixture fixture) : IClassFixture<EventsCommandTests.Fixture>
{
    private const string TextWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==";
    /// <summary>A message event's idempotency key: the wamid, prefixed so it cannot clash with a status's key.</summary>
    private const string TextEventId = "msg:" + TextWamid;
    private const string UnicodeWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0002AA==";
    private const string WabaId = "109876543210001";
    private const string PhoneNumberId = "118765432100002";

    public sealed class Fixture : PostedPayloadsFixture
    {
        /// <summary>Between the first five events and the last one, for <c>--since</c>.</summary>
        public DateTimeOffset Mark { get; private set; }

        protected override async Task SeedAsync()
        {
            await PostAsync(ExamplePayloads.Read("messages-text.json"));
            await PostAsync(ExamplePayloads.Read("messages-status-delivered.json"));
            await PostAsync(ExamplePayloads.Read("account_update-disabled.json"));
            await PostAsync(ExamplePayloads.Read("account_update-partner-added.json"));
            await PostAsync(PayloadVariants.With(
                "messages-text-unicode.json",
                (PhoneNumberId, "118765432100999")));
            await WaitUntilProcessedAsync();

            // stored_at has millisecond precision: the mark is the millisecond after the last of the five, and the
            // image is posted once serve's clock (this machine's) has passed it.
            var five = await ListEventsAsync();
            Mark = five.Max(e => e.StoredAt).AddMilliseconds(1);
            await Await.UntilAsync(() => TimeProvider.System.GetUtcNow() > Mark, "the clock to pass the mark");
            await PostAsync(ExamplePayloads.Read("messages-image.json"));
            await WaitUntilProcessedAsync();
            var image = Assert.Single(await ListEventsAsync(), e => e.Type == "messages.image");
            Assert.True(image.StoredAt >= Mark, $"the image was stored at {image.StoredAt:O}, before the mark {Mark:O}");
        }
    }

    [Fact]
    public async Task List_searches_by_wamid_or_phrase_and_lists_unrouted_events_through_the_admin_query_layer()
    {
        var byWamid = (await fixture.RunJsonAsync("events", "list", "--search", TextWamid)).EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        var unrouted = (await fixture.RunJsonAsync("events", "list", "--unrouted", "--field", "account_update")).EnumerateArray().ToList();
        var none = (await fixture.RunJsonAsync("events", "list", "--search", "a phrase in no payload")).EnumerateArray().ToList();

        Assert.Equal([TextEventId], byWamid);
        Assert.Equal(2, unrouted.Count); // No destination or handler is configured: nothing was routed.
        Assert.Empty(none);
    }

    [Fact]
    public async Task List_json_prints_one_array_newest_first_with_key_type_field_waba_phone_number_and_delivery()
    {
        var events = (await fixture.RunJsonAsync("events", "list")).EnumerateArray().ToList();

        Assert.Equal(6, events.Count);
        Assert.Equal("messages.image", events[0].GetProperty("type").GetString());
        var sequences = events.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        var text = Assert.Single(events, e => e.GetProperty("id").GetString() == TextEventId);
        Assert.Equal("messages.text", text.GetProperty("type").GetString());
        Assert.Equal("messages", text.GetProperty("field").GetString());
        Assert.Equal(WabaId, text.GetProperty("wabaId").GetString());
        Assert.Equal(PhoneNumberId, text.GetProperty("phoneNumberId").GetString());
        Assert.Equal(1, text.GetProperty("deliveryId").GetInt64());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261601), text.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.True(text.GetProperty("storedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task List_filters_by_field()
    {
        var events = await fixture.RunJsonAsync("events", "list", "--field", "account_update");

        Assert.Equal(2, events.GetArrayLength());
        Assert.All(events.EnumerateArray(), e => Assert.Equal("account_update", e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task List_filters_by_type()
    {
        var events = await fixture.RunJsonAsync("events", "list", "--type", "statuses.delivered");

        var delivered = Assert.Single(events.EnumerateArray());
        Assert.Equal(2, delivered.GetProperty("deliveryId").GetInt64());
    }

    [Fact]
    public async Task List_filters_by_a_type_prefix_with_the_destination_filters_rule()
    {
        var events = await fixture.RunJsonAsync("events", "list", "--type", "statuses.*");

        Assert.NotEqual(0, events.GetArrayLength());
        Assert.All(events.EnumerateArray(), e => Assert.StartsWith("statuses.", e.GetProperty("type").GetString(), StringComparison.Ordinal));
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "statuses.delivered");
    }

    [Fact]
    public async Task List_with_no_match_says_so()
    {
        var result = await fixture.RunAsync("events", "list", "--type", "no.such.*");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No events match.", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task List_filters_by_waba_id()
    {
        var events = await fixture.RunJsonAsync("events", "list", "--waba-id", "204060801234567");

        var partner = Assert.Single(events.EnumerateArray());
        Assert.Equal("account_update", partner.GetProperty("field").GetString());
        Assert.Equal(JsonValueKind.Null, partner.GetProperty("phoneNumberId").ValueKind);
    }

    [Fact]
    public async Task List_filters_by_phone_number_id()
    {
        var other = await fixture.RunJsonAsync("events", "list", "--phone-number-id", "118765432100999");
        var main = await fixture.RunJsonAsync("events", "list", "--phone-number-id", PhoneNumberId);

        Assert.Equal(5, Assert.Single(other.EnumerateArray()).GetProperty("deliveryId").GetInt64());
        Assert.Equal([6L, 2L, 1L], main.EnumerateArray().Select(e => e.GetProperty("deliveryId").GetInt64()));
    }

    [Fact]
    public async Task List_since_an_iso_8601_time_keeps_events_stored_from_then()
    {
        var since = fixture.Mark.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        var events = await fixture.RunJsonAsync("events", "list", "--since", since);

        Assert.Equal("messages.image", Assert.Single(events.EnumerateArray()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task List_since_a_relative_duration_counts_back_from_now()
    {
        var hour = await fixture.RunJsonAsync("events", "list", "--since", "1h");

        Assert.Equal(6, hour.GetArrayLength());
    }

    [Fact]
    public async Task List_since_an_unreadable_time_is_a_usage_error()
    {
        var result = await fixture.RunAsync("events", "list", "--since", "yesterday");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since: 'yesterday'", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_limit_keeps_the_newest()
    {
        var events = await fixture.RunJsonAsync("events", "list", "--limit", "2", "--field", "messages");

        Assert.Equal([6L, 5L], events.EnumerateArray().Select(e => e.GetProperty("deliveryId").GetInt64()));
    }

    [Fact]
    public async Task List_as_a_table_has_a_header_and_a_row_per_event()
    {
        var result = await fixture.RunAsync("events", "list");

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ID\s+TYPE\s+FIELD\s+WABA\s+PHONE NUMBER\s+OCCURRED \(UTC\)\s+DELIVERY\s+MARK$", lines[0]);
        Assert.Equal(7, lines.Length);

        // Signed like Meta's, with no test mark: none is a test.
        Assert.All(lines.Skip(1), l => Assert.EndsWith(" -", l.TrimEnd(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(TextEventId, StringComparison.Ordinal) && l.Contains("messages.text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_json_carries_the_metadata_and_the_item_exactly_as_received()
    {
        var shown = await fixture.RunJsonAsync("events", "show", TextEventId);

        Assert.Equal(TextEventId, shown.GetProperty("id").GetString());
        Assert.Equal("messages.text", shown.GetProperty("type").GetString());
        Assert.Equal(1, shown.GetProperty("deliveryId").GetInt64());
        Assert.Empty(shown.GetProperty("attempts").EnumerateArray());
        var raw = shown.GetProperty("raw");
        Assert.Equal(TextWamid, raw.GetProperty("id").GetString());
        Assert.Contains(raw.GetRawText(), Encoding.UTF8.GetString(ExamplePayloads.Read("messages-text.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_prints_the_metadata_and_the_json_indented_with_its_escapes_kept()
    {
        var sentBody = Body().Match(Encoding.UTF8.GetString(ExamplePayloads.Read("messages-text-unicode.json"))).Groups[1].Value;

        var result = await fixture.RunAsync("events", "show", "msg:" + UnicodeWamid);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Type:          messages.text", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Phone number:  118765432100999", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Delivery:      5", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"\"body\": \"{sentBody}\"", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\\u2615", sentBody, StringComparison.Ordinal);
        Assert.Contains($"\n  \"id\": \"{UnicodeWamid}\",\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_of_an_unknown_id_fails_with_a_message()
    {
        var result = await fixture.RunAsync("events", "show", "wamid.nothing-like-it");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no event with id wamid.nothing-like-it", result.StandardError, StringComparison.Ordinal);
    }

    [GeneratedRegex("\"body\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Body();
}
