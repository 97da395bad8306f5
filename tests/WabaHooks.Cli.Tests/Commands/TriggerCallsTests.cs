using WabaHooks.Cli.Tests.Support;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>trigger calls --all</c> against a real <c>serve</c>: every calls example, split into its typed call events.</summary>
public sealed class TriggerCallsTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    private const string WabaId = "100000000000093";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Trigger_calls_all_sends_every_calls_variant_and_each_call_event_is_stored_once_with_its_type()
    {
        var calls = ExamplePayloads.Names.Where(n => n.StartsWith("calls-", StringComparison.Ordinal)).ToList();

        var result = await CliCommand.RunAsync("trigger", "calls", "--all", "--url", serve.CallbackUrl.ToString(), "--app-secret", ServeFixture.AppSecret, "--waba-id", WabaId);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.All(calls, name => Assert.Contains($"OK    calls/{Path.GetFileNameWithoutExtension(name)["calls-".Length..]}", result.StandardOutput, StringComparison.Ordinal));
        var expected = calls.SelectMany(name => ExpectedEvents.TypesOf(ExamplePayloads.Read(name))).Order(StringComparer.Ordinal).ToList();
        var stored = await Await.UntilAsync(
            async () =>
            {
                await using var store = serve.OpenStore();
                return (await store.ListEventsAsync(new EventQuery { WabaId = WabaId, Limit = 1000 }, Ct)).ToList();
            },
            events => events.Count >= expected.Count,
            "every call event stored",
            TimeSpan.FromSeconds(30));
        Assert.Equal(expected, stored.Select(e => e.Type).Order(StringComparer.Ordinal));
        Assert.Contains(WabaHooks.Events.WabaEventTypes.CallsConnect, expected);
        Assert.Contains(WabaHooks.Events.WabaEventTypes.CallsStatusesRinging, expected);
        Assert.Contains(WabaHooks.Events.WabaEventTypes.CallsCallCreated, expected);
        Assert.Equal(stored.Count, stored.Select(e => e.Id).Distinct().Count());
    }
}
