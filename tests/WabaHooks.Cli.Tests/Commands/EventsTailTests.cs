using System.Text.Json;
using System.Text.Json.Nodes;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>events tail</c> beside a running serve: each new event as it is stored, then its sinks' attempts.</summary>
public sealed class EventsTailTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private DestinationServer? _destination;
    private CliProcess? _serve;

    public async ValueTask InitializeAsync()
    {
        _destination = await DestinationServer.StartAsync();
        var crm = DestinationConfig.Event("crm", _destination.Url);
        crm["IncludeTestEvents"] = true;
        crm["PollInterval"] = 0.05;
        var config = new JsonObject
        {
            ["WabaHooks"] = new JsonObject
            {
                ["Serve"] = new JsonObject { ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}" },
                ["Destinations"] = new JsonArray(crm),
            },
        };
        await File.WriteAllTextAsync(_dir.Combine("wabahooks.json"), config.ToJsonString());
        (_serve, _) = await CliProcess.StartServeAsync([], _dir.Path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        if (_destination is not null)
        {
            await _destination.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Tail_json_prints_each_new_event_and_then_the_destination_attempt_one_object_a_line()
    {
        await using var tail = CliProcess.Start(["events", "tail", "--json", "--interval", "0.1"], _dir.Path);
        // The tail shows what is stored after it starts: it says so once it has read where that is.
        await tail.WaitForErrorOutputAsync("Waiting for new events", Bound);

        var trigger = await CliProcess.RunAsync(["trigger", "messages"], _dir.Path, timeout: Bound);
        Assert.True(trigger.ExitCode == 0, trigger.AllOutput());

        await tail.WaitForOutputAsync("\"kind\":\"attempt\"", Bound);
        var lines = tail.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var e = Assert.Single(lines, l => l.GetProperty("kind").GetString() == "event");
        Assert.Equal("messages.text", e.GetProperty("type").GetString());
        Assert.True(e.GetProperty("test").GetBoolean());
        var attempt = lines.First(l => l.GetProperty("kind").GetString() == "attempt");
        Assert.Equal(e.GetProperty("id").GetString(), attempt.GetProperty("eventId").GetString());
        Assert.Equal("destination:crm", attempt.GetProperty("sink").GetString());
        Assert.True(attempt.GetProperty("succeeded").GetBoolean());
        Assert.True(lines.IndexOf(e) < lines.IndexOf(attempt), "the event comes before its attempt");
    }

    [Fact]
    public async Task Tail_filters_as_events_list_does()
    {
        await using var tail = CliProcess.Start(["events", "tail", "--type", "statuses.*", "--interval", "0.1"], _dir.Path);
        await tail.WaitForErrorOutputAsync("Waiting for new events", Bound);

        var trigger = await CliProcess.RunAsync(["trigger", "messages", "--variant", "text,status-read"], _dir.Path, timeout: Bound);
        Assert.True(trigger.ExitCode == 0, trigger.AllOutput());

        await tail.WaitForOutputAsync("statuses.read", Bound);
        Assert.DoesNotContain("messages.text", tail.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[test]", tail.StandardOutput, StringComparison.Ordinal);
    }
}
