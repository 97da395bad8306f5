using System.Text;
using BenchmarkDotNet.Attributes;
using WabaHooks.Destinations;
using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Benchmarks;

/// <summary>
/// What a <c>meta</c> destination taking part of a delivery pays for its narrowed envelope, from events already rebuilt
/// from their locators: splitting the delivery again and narrowing against that split (before), against narrowing by
/// the stored positions alone (after).
/// </summary>
[MemoryDiagnoser]
public class NarrowBenchmarks
{
    /// <summary>messages-batched-mixed.json's entries ten times over in one delivery: 30 events, 10 entries.</summary>
    public const string TenTimes = "messages-batched-mixed.json x10";

    private Delivery _delivery = null!;
    private WabaEvent[] _carried = [];

    [Params("messages-batched-mixed.json", TenTimes)]
    public string Payload { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _delivery = Load(Payload);
        _carried = Carried(_delivery);
    }

    [Benchmark(Baseline = true)]
    public int SplitAndNarrow()
    {
        var all = DeliverySplitter.Split(_delivery).Events;
        return MetaEnvelope.Narrow(_delivery.Body, all, _carried).Length;
    }

    [Benchmark]
    public int NarrowByStoredPositions() => MetaEnvelope.Narrow(_delivery.Body, _carried).Length;

    /// <summary>The delivery for <paramref name="payload"/>.</summary>
    public static Delivery Load(string payload)
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", payload == TenTimes ? "messages-batched-mixed.json" : payload));
        if (payload == TenTimes)
        {
            // Each example entry once per copy, in one envelope.
            var text = Encoding.UTF8.GetString(body);
            var entries = text[(text.IndexOf('[', StringComparison.Ordinal) + 1)..text.LastIndexOf(']')];
            body = Encoding.UTF8.GetBytes($$"""{"object": "whatsapp_business_account", "entry": [{{string.Join(", ", Enumerable.Repeat(entries, 10))}}]}""");
        }

        return new Delivery(new DeliverySummary(1, DateTimeOffset.UnixEpoch, "app", body.Length, DeliveryFlags.None), body);
    }

    /// <summary>Every other event of the delivery (the first, the third, ...), rebuilt from its locator as dispatch rebuilds it.</summary>
    public static WabaEvent[] Carried(Delivery delivery)
    {
        var split = DeliverySplitter.Split(delivery).Events;
        return [.. split.Where(e => e.Position % 2 == 0).Select(e =>
        {
            var stored = new ClaimedEvent(e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.IsTest,
                StoredEvents.Locate(e, delivery.Body.Span, split.Count));
            return StoredEvents.TryRebuild(delivery, e.Id, stored, out var rebuilt) ? rebuilt : throw new InvalidOperationException("no locator");
        })];
    }
}
