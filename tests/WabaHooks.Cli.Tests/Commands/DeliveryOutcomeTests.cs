using System.Text;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>deliveries list</c> shows what the processor made of each delivery: events, duplicates, parse errors.</summary>
public sealed class DeliveryOutcomeTests(DeliveryOutcomeTests.Fixture fixture) : IClassFixture<DeliveryOutcomeTests.Fixture>
{
    private const string TextWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==";

    public sealed class Fixture : PostedPayloadsFixture
    {
        protected override async Task SeedAsync()
        {
            // Meta retries a delivery it thinks failed: the same bytes arrive twice.
            await PostAsync(ExamplePayloads.Read("messages-text.json"));
            await PostAsync(ExamplePayloads.Read("messages-text.json"));
            await PostAsync(Encoding.UTF8.GetBytes("not json at all"));
            await PostAsync(ExamplePayloads.Read("messages-reaction.json"));
            await WaitUntilProcessedAsync();
        }
    }

    [Fact]
    public async Task The_same_delivery_twice_is_one_event_and_one_duplicate()
    {
        var deliveries = (await fixture.RunJsonAsync("deliveries", "list")).EnumerateArray().ToList();
        var events = await fixture.RunJsonAsync("events", "list", "--type", "messages.text");

        Assert.Equal([4L, 3L, 2L, 1L], deliveries.Select(d => d.GetProperty("id").GetInt64()));
        Assert.All(deliveries, d => Assert.True(d.GetProperty("processed").GetBoolean()));
        Assert.Equal((1, 0), (deliveries[3].GetProperty("events").GetInt32(), deliveries[3].GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 1), (deliveries[2].GetProperty("events").GetInt32(), deliveries[2].GetProperty("duplicates").GetInt32()));
        var text = Assert.Single(events.EnumerateArray());
        Assert.Equal("msg:" + TextWamid, text.GetProperty("id").GetString());
        Assert.Equal(1, text.GetProperty("deliveryId").GetInt64());
    }

    [Fact]
    public async Task A_signed_body_that_is_not_json_shows_its_parse_error_and_does_not_stop_the_next()
    {
        var deliveries = (await fixture.RunJsonAsync("deliveries", "list")).EnumerateArray().ToList();

        Assert.False(string.IsNullOrEmpty(deliveries[1].GetProperty("parseError").GetString()));
        Assert.Equal(0, deliveries[1].GetProperty("events").GetInt32());
        Assert.Equal(1, deliveries[0].GetProperty("events").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, deliveries[0].GetProperty("parseError").ValueKind);
    }

    [Fact]
    public async Task The_table_has_columns_for_events_duplicates_and_parse_error()
    {
        var result = await fixture.RunAsync("deliveries", "list");

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"\sEVENTS\s+DUPLICATES\s+FAILED BECAUSE$", lines[0]);
        Assert.Matches(@"^2\s.*\s0\s+1$", lines[3]);
        Assert.Matches(@"^3\s.*not-json\s+0\s+0\s+\S", lines[2]);
    }
}
