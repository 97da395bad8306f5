using WabaHooks.Hosting.Retention;
using WabaHooks.Hosting.Tests.Configuration;

namespace WabaHooks.Hosting.Tests.Retention;

/// <summary>The <c>Retention</c> settings: defaults a busy BSP can live with, bound from configuration, bad values refused with their fix.</summary>
public sealed class RetentionOptionsTests
{
    private const string Valid = """ "VerifyToken": "t", "AppSecrets": [ "555:0123456789abcdef" ] """;

    [Fact]
    public void The_defaults_keep_a_month_of_deliveries_and_events_a_quarter_of_dead_letters_and_keys_for_metas_seven_days()
    {
        var retention = new RetentionOptions();
        var now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

        var cutoffs = retention.CutoffsAt(now);

        Assert.True(retention.Enabled);
        Assert.Equal(now.AddDays(-30), cutoffs.Deliveries);
        Assert.Equal(now.AddDays(-30), cutoffs.Events);
        Assert.Equal(now.AddDays(-30), cutoffs.Attempts);
        Assert.Equal(now.AddDays(-90), cutoffs.DeadLetters);
        Assert.Equal(now.AddDays(-7), cutoffs.DedupeHorizon);
        Assert.Equal(0, retention.MaxStoreBytes);
    }

    [Fact]
    public void Retention_is_bound_from_the_WabaHooks_section()
    {
        using var bound = Bound.From($$"""{ {{Valid}}, "Retention": { "Deliveries": "7.00:00:00", "DeadLetters": "180.00:00:00", "MaxStoreBytes": 1073741824, "BatchSize": 200 } }""");

        Assert.Empty(bound.Problems);
        Assert.Equal(TimeSpan.FromDays(7), bound.Options.Retention.Deliveries);
        Assert.Equal(TimeSpan.FromDays(180), bound.Options.Retention.DeadLetters);
        Assert.Equal(1L << 30, bound.Options.Retention.MaxStoreBytes);
        Assert.Equal(200, bound.Options.Retention.BatchSize);
    }

    [Fact]
    public void Bad_retention_values_stop_start_up_each_with_its_fix()
    {
        using var bound = Bound.From($$"""{ {{Valid}}, "Retention": { "Events": "00:00:10", "DedupeHorizon": "-1.00:00:00", "MaxStoreBytes": 1000, "Interval": "00:00:00", "BatchSize": 0 } }""");

        Assert.Collection(bound.Problems.Order(StringComparer.Ordinal),
            p => Assert.StartsWith("Retention.BatchSize is 0: it must be from 1 to 100000", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Retention.DedupeHorizon is -1.00:00:00: give a duration from 00:01:00", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Retention.Events is 00:00:10: give a duration from 00:01:00", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Retention.Interval is 00:00:00: it must be from 1 second to a day", p, StringComparison.Ordinal),
            p => Assert.StartsWith("Retention.MaxStoreBytes is 1000: give at least 16777216 (16 MiB), or 0", p, StringComparison.Ordinal));
    }
}
