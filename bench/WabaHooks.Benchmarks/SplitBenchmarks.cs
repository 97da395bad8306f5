using System.Text.Json;
using BenchmarkDotNet.Attributes;
using WabaHooks.Events;

namespace WabaHooks.Benchmarks;

/// <summary>Parse and split of one delivery, against the floor of merely parsing it into a <see cref="JsonDocument"/>.</summary>
[MemoryDiagnoser]
public class SplitBenchmarks
{
    private ReadOnlyMemory<byte> _body;

    [Params("messages-text.json", "messages-batched-mixed.json")]
    public string Payload { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", Payload));

    [Benchmark(Baseline = true)]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_body);
        return (int)document.RootElement.ValueKind;
    }

    [Benchmark]
    public int ParseAndSplit() => DeliverySplitter.Split(_body, 1).Events.Count;

    // Payloads are typed on first read, so this is the cost for a consumer that looks at every one.
    [Benchmark]
    public int ParseSplitAndReadPayloads()
    {
        var count = 0;
        foreach (var e in DeliverySplitter.Split(_body, 1).Events)
        {
            count += e.Payload is null ? 0 : 1;
        }

        return count;
    }
}
