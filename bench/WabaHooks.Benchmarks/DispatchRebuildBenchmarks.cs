using BenchmarkDotNet.Attributes;
using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Benchmarks;

/// <summary>
/// What dispatch pays to find the claimed events of one delivery: splitting it again and looking each up by key (before
/// locators), against rebuilding each from the locator stored with it.
/// </summary>
[MemoryDiagnoser]
public class DispatchRebuildBenchmarks
{
    private Delivery _delivery = null!;
    private (string Id, ClaimedEvent Stored)[] _claimed = [];

    [Params("messages-text.json", "messages-batched-mixed.json")]
    public string Payload { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", Payload));
        _delivery = new Delivery(new DeliverySummary(1, DateTimeOffset.UnixEpoch, "app", body.Length, DeliveryFlags.None), body);
        var split = DeliverySplitter.Split(_delivery).Events;
        _claimed = [.. split.Select(e => (e.Id, new ClaimedEvent(e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.IsTest,
            StoredEvents.Locate(e, _delivery.Body.Span, split.Count))))];
    }

    [Benchmark(Baseline = true)]
    public int SplitAndLookUp()
    {
        var byId = new Dictionary<string, WabaEvent>(StringComparer.Ordinal);
        foreach (var e in DeliverySplitter.Split(_delivery).Events)
        {
            byId.TryAdd(e.Id, e);
        }

        var found = 0;
        foreach (var (id, _) in _claimed)
        {
            found += byId.ContainsKey(id) ? 1 : 0;
        }

        return found;
    }

    [Benchmark]
    public int RebuildFromLocators()
    {
        var found = 0;
        foreach (var (id, stored) in _claimed)
        {
            found += StoredEvents.TryRebuild(_delivery, id, stored, out _) ? 1 : 0;
        }

        return found;
    }
}
