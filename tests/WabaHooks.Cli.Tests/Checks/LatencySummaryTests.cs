using WabaHooks.Cli.Checks;

namespace WabaHooks.Cli.Tests.Checks;

public sealed class LatencySummaryTests
{
    private static LatencySummary Of(params int[] milliseconds) => new(milliseconds.Select(ms => TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_sorted_latencies()
    {
        var summary = Of([.. Enumerable.Range(1, 100).Reverse()]);

        Assert.Equal((50, 90, 99, 100), ((int)summary.P50.TotalMilliseconds, (int)summary.P90.TotalMilliseconds, (int)summary.P99.TotalMilliseconds, (int)summary.Max.TotalMilliseconds));
    }

    [Fact]
    public void A_median_of_250_ms_and_under_1_percent_over_a_second_meet_Metas_requirement()
    {
        var latencies = Enumerable.Repeat(250, 199).Append(1500).ToArray();

        Assert.All(Of(latencies).Check(), r => Assert.True(r.Passed, r.Detail));
    }

    [Fact]
    public void One_percent_over_a_second_fails_Metas_requirement()
    {
        var latencies = Enumerable.Repeat(10, 99).Append(1001).ToArray();

        var results = Of(latencies).Check();

        Assert.True(results[0].Passed);
        Assert.False(results[1].Passed);
        Assert.Contains("1.0 % over 1 s (1 of 100)", results[1].Detail, StringComparison.Ordinal);
    }
}
