using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WabaHooks.Hosting;

namespace WabaHooks.AspNetCore.Tests.Telemetry;

/// <summary>Collects one instrument of a running gateway's WabaHooks meter, and sums what it recorded.</summary>
internal static class Metrics
{
    public static MetricCollector<T> Collect<T>(TestGateway gateway, string instrument)
        where T : struct =>
        new(gateway.Services.GetRequiredService<IMeterFactory>(), WabaHooksTelemetry.MeterName, instrument);

    /// <summary>The sum of the values recorded with every one of <paramref name="tags"/> (name=value).</summary>
    public static long Sum(MetricCollector<long> collector, params string[] tags) =>
        collector.GetMeasurementSnapshot().Where(m => Matches(m.Tags, tags)).Sum(m => m.Value);

    /// <summary>How many values were recorded with every one of <paramref name="tags"/>.</summary>
    public static int Count<T>(MetricCollector<T> collector, params string[] tags)
        where T : struct =>
        collector.GetMeasurementSnapshot().Count(m => Matches(m.Tags, tags));

    private static bool Matches(IReadOnlyDictionary<string, object?> actual, string[] tags) =>
        tags.All(t =>
        {
            var (name, value) = (t[..t.IndexOf('=', StringComparison.Ordinal)], t[(t.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            return actual.TryGetValue(name, out var v) && v as string == value;
        });
}
