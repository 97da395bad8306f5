using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Diagnostics;

namespace WabaHooks.Hosting.Tests.Telemetry;

public sealed class WabaHooksMetricsTests
{
    [Fact]
    public void Processing_lag_is_the_age_of_the_oldest_unprocessed_delivery_and_grows_while_the_processor_is_stuck()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new WabaHooksMetrics(time, factory);
        using var lag = new MetricCollector<double>(factory, WabaHooksTelemetry.MeterName, "wabahooks.processing.lag");

        lag.RecordObservableInstruments();
        Assert.Equal(0, lag.LastMeasurement!.Value);

        metrics.UnprocessedRead(time.GetUtcNow() - TimeSpan.FromSeconds(5));
        lag.RecordObservableInstruments();
        Assert.Equal(5, lag.LastMeasurement!.Value);

        time.Advance(TimeSpan.FromSeconds(2));
        lag.RecordObservableInstruments();
        Assert.Equal(7, lag.LastMeasurement!.Value);

        metrics.UnprocessedRead(null);
        lag.RecordObservableInstruments();
        Assert.Equal(0, lag.LastMeasurement!.Value);
    }

    [Fact]
    public void A_host_without_a_meter_factory_still_gets_the_WabaHooks_meter()
    {
        using var listener = new MeterListener();
        var published = new List<string>();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == WabaHooksTelemetry.MeterName)
            {
                published.Add(instrument.Name);
            }
        };
        listener.Start();

        using var metrics = new WabaHooksMetrics(TimeProvider.System);

        Assert.Contains("wabahooks.deliveries.received", published);
        Assert.Contains("wabahooks.destination.attempts", published);
    }

    [Theory]
    [InlineData(200, false, false, "success")]
    [InlineData(204, false, false, "success")]
    [InlineData(302, false, false, "http_3xx")]
    [InlineData(404, false, false, "http_4xx")]
    [InlineData(503, false, false, "http_5xx")]
    [InlineData(999, false, false, "http_other")]
    [InlineData(null, true, false, "timeout")]
    [InlineData(null, false, false, "refused")]
    [InlineData(null, false, true, "interrupted")]
    public void A_destination_attempt_outcome_is_success_the_status_class_timeout_refused_or_interrupted(int? status, bool timedOut, bool interrupted, string expected) =>
        Assert.Equal(expected, WabaHooksMetrics.AttemptOutcomes.Of(status, status is >= 200 and < 300, timedOut, interrupted));
}
