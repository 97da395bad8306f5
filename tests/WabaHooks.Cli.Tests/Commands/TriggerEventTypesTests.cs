using System.Text;
using System.Text.Json;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// <c>trigger --all</c> against a real <c>serve</c>: once the processor has split every delivery, each yields the
/// event types its JSON implies. The expectations are worked out here from the delivered JSON and Meta's names, not
/// from trigger's templates or the library's type mapping, so a mistake in either shows.
/// </summary>
public sealed class TriggerEventTypesTests(ServeFixture serve) : IClassFixture<ServeFixture>
{
    private const string WabaId = "100000000000091";
    private const string PhoneNumberId = "100000000000092";
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_listed_field_and_variant_yields_the_event_types_its_payload_implies()
    {
        var before = await LastDeliveryIdAsync();

        var result = await CliCommand.RunAsync("trigger", "--all", "--url", serve.CallbackUrl.ToString(), "--app-secret", ServeFixture.AppSecret, "--waba-id", WabaId, "--phone-number-id", PhoneNumberId);
        Assert.True(result.ExitCode == 0, result.AllOutput());

        await using var store = serve.OpenStore();
        var deliveries = await store.ReadAfterAsync(before, 1000, Ct);
        Assert.Equal(ExamplePayloads.Names.Count, deliveries.Count);
        var outcomes = await OutcomesOfAsync(store, [.. deliveries.Select(d => d.Id)]);
        // Not filtered by WABA: partner events (account_update PARTNER_ADDED, partner_solutions) carry a business id in entry.id.
        var events = (await store.ListEventsAsync(new EventQuery { Limit = 10_000 }, Ct)).Where(e => outcomes.ContainsKey(e.DeliveryId)).ToList();

        var problems = new List<string>();
        foreach (var delivery in deliveries)
        {
            var json = Encoding.UTF8.GetString(delivery.Body.Span);
            var outcome = outcomes[delivery.Id];
            if (outcome.ParseError is not null || outcome.Duplicates > 0)
            {
                problems.Add($"delivery {delivery.Id}: parse error '{outcome.ParseError}', {outcome.Duplicates} duplicates\n{json}");
                continue;
            }

            var expected = ExpectedEvents.TypesOf(System.Text.Encoding.UTF8.GetBytes(json)).Order(StringComparer.Ordinal).ToList();
            var actual = events.Where(e => e.DeliveryId == delivery.Id).Select(e => e.Type).Order(StringComparer.Ordinal).ToList();
            if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
            {
                problems.Add($"delivery {delivery.Id}: expected [{string.Join(", ", expected)}], stored [{string.Join(", ", actual)}]\n{json}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        Assert.All(events, e => Assert.True(e.PhoneNumberId is null or PhoneNumberId, $"{e.Type} carries phone number {e.PhoneNumberId}"));
    }

    private async Task<long> LastDeliveryIdAsync()
    {
        await using var store = serve.OpenStore();
        return (await store.ListAsync(1, null, Ct)).FirstOrDefault()?.Id ?? 0;
    }

    /// <summary>Waits, bounded, until the processor has committed an outcome for every delivery.</summary>
    private static async Task<Dictionary<long, DeliveryOutcome>> OutcomesOfAsync(IEventStore store, HashSet<long> ids)
    {
        var deadline = DateTimeOffset.UtcNow + ProcessingTimeout;
        while (true)
        {
            var outcomes = (await store.ListDeliveryOutcomesAsync(10_000, null, Ct)).Where(o => ids.Contains(o.DeliveryId)).ToDictionary(o => o.DeliveryId);
            if (outcomes.Count == ids.Count)
            {
                return outcomes;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"the processor handled {outcomes.Count} of {ids.Count} deliveries within {ProcessingTimeout}");
            await Task.Delay(100, Ct);
        }
    }
}
