using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using WabaHooks.Inbox;

namespace WabaHooks.Benchmarks;

/// <summary>
/// The receive path's classification of one body against the HMAC-SHA256 that the signature check computes over the
/// same bytes: both run before the 200, so the classifier should cost about as much as the HMAC, not more.
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private static readonly byte[] Key = "0123456789abcdef0123456789abcdef"u8.ToArray();
    private readonly byte[] _mac = new byte[32];
    private byte[] _body = [];

    [Params("messages-text.json", "messages-batched-mixed.json")]
    public string Payload { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", Payload));

    [Benchmark(Baseline = true)]
    public int HmacSha256() => HMACSHA256.HashData(Key, _body, _mac);

    [Benchmark]
    public DeliveryFlags Classify() => DeliveryClassifier.Classify(_body);
}
