using System.Text.Json;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class MessagesStatusCommandTests(MessagesStatusCommandTests.Fixture fixture) : IClassFixture<MessagesStatusCommandTests.Fixture>
{
    /// <summary>The outbound message whose story the payload folder tells: sent, delivered, read, played, failed.</summary>
    private const string StoryWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=";

    /// <summary>A second message, told only as read and then a late delivered.</summary>
    private const string LateDeliveredWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwOQA=";

    public sealed class Fixture : PostedPayloadsFixture
    {
        protected override async Task SeedAsync()
        {
            // Out of order, as Meta allows: read first, then a late delivered and a late sent around played, then failed.
            await PostAsync(ExamplePayloads.Read("messages-status-read.json"));
            await PostAsync(ExamplePayloads.Read("messages-batched-mixed.json"));
            await PostAsync(ExamplePayloads.Read("messages-status-played.json"));
            await PostAsync(ExamplePayloads.Read("messages-status-sent-v23.json"));
            await PostAsync(ExamplePayloads.Read("messages-status-failed.json"));

            await PostAsync(PayloadVariants.With("messages-status-read.json", (StoryWamid, LateDeliveredWamid)));
            await PostAsync(PayloadVariants.With("messages-status-delivered.json", ("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMSA=", LateDeliveredWamid)));
            await WaitUntilProcessedAsync();
        }
    }

    [Fact]
    public async Task A_late_delivered_after_read_is_kept_in_the_timeline_but_does_not_move_the_status_back()
    {
        var status = await fixture.RunJsonAsync("messages", "status", LateDeliveredWamid);

        Assert.Equal(LateDeliveredWamid, status.GetProperty("wamid").GetString());
        Assert.Equal("read", status.GetProperty("current").GetString());
        Assert.Equal([("read", true), ("delivered", false)], Timeline(status));
    }

    [Fact]
    public async Task The_whole_story_out_of_order_ends_failed_with_each_status_marked_applied_or_not()
    {
        var status = await fixture.RunJsonAsync("messages", "status", StoryWamid);

        Assert.Equal("failed", status.GetProperty("current").GetString());
        Assert.Equal("447700900456", status.GetProperty("recipientId").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261705), status.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(
            [("read", true), ("delivered", false), ("played", true), ("sent", false), ("failed", true)],
            Timeline(status));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], status.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("deliveryId").GetInt64()));
    }

    [Fact]
    public async Task The_table_shows_the_current_status_and_marks_the_late_one()
    {
        var result = await fixture.RunAsync("messages", "status", LateDeliveredWamid);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n');
        Assert.Contains("Current:    read", lines);
        Assert.Contains(lines, l => l.StartsWith("read ", StringComparison.Ordinal) && l.Contains(" yes ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("delivered ", StringComparison.Ordinal) && l.Contains(" no ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_wamid_fails_with_a_message()
    {
        var result = await fixture.RunAsync("messages", "status", "wamid.never-sent");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no status received for message wamid.never-sent", result.StandardError, StringComparison.Ordinal);
    }

    private static List<(string?, bool)> Timeline(JsonElement status) =>
        [.. status.GetProperty("timeline").EnumerateArray().Select(t => (t.GetProperty("status").GetString(), t.GetProperty("applied").GetBoolean()))];
}
