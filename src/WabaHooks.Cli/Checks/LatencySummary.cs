using System.Globalization;

namespace WabaHooks.Cli.Checks;

/// <summary>
/// Latency of a set of requests, and Meta's requirement for webhook endpoints (reference §3): median at most 250 ms,
/// fewer than 1 % of requests over 1 s, under concurrent load.
/// </summary>
internal sealed class LatencySummary
{
    public static readonly TimeSpan MedianLimit = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan SlowThreshold = TimeSpan.FromSeconds(1);
    public const double MaxSlowShare = 0.01;

    private readonly TimeSpan[] _sorted;

    public LatencySummary(IEnumerable<TimeSpan> latencies)
    {
        _sorted = [.. latencies.Order()];
    }

    public int Count => _sorted.Length;

    public TimeSpan P50 => Percentile(50);

    public TimeSpan P90 => Percentile(90);

    public TimeSpan P99 => Percentile(99);

    public TimeSpan Max => _sorted.Length == 0 ? TimeSpan.Zero : _sorted[^1];

    public int SlowCount => _sorted.Count(l => l > SlowThreshold);

    public double SlowShare => _sorted.Length == 0 ? 0 : (double)SlowCount / _sorted.Length;

    /// <summary>Nearest rank: the smallest latency that at least <paramref name="percent"/> % of requests did not exceed.</summary>
    public TimeSpan Percentile(double percent)
    {
        if (_sorted.Length == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public IReadOnlyList<CheckResult> Check() =>
    [
        P50 <= MedianLimit
            ? CheckResult.Pass("median latency ≤ 250 ms", $"p50 {Ms(P50)}.")
            : CheckResult.Fail("median latency ≤ 250 ms", $"p50 {Ms(P50)}: Meta requires a median of at most 250 ms; slower endpoints delay deliveries."),
        SlowShare < MaxSlowShare
            ? CheckResult.Pass("fewer than 1 % over 1 s", $"{Share()} over 1 s ({SlowCount.ToString(CultureInfo.InvariantCulture)} of {Count.ToString(CultureInfo.InvariantCulture)}).")
            : CheckResult.Fail("fewer than 1 % over 1 s", $"{Share()} over 1 s ({SlowCount.ToString(CultureInfo.InvariantCulture)} of {Count.ToString(CultureInfo.InvariantCulture)}): Meta requires fewer than 1 %."),
    ];

    public string Describe() =>
        $"p50 {Ms(P50)}, p90 {Ms(P90)}, p99 {Ms(P99)}, max {Ms(Max)}; {Share()} over 1 s";

    public static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private string Share() => (SlowShare * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
