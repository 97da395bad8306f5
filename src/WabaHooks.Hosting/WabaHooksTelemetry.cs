namespace WabaHooks.Hosting;

/// <summary>
/// The names under which WabaHooks publishes its metrics and traces, to pass to an OpenTelemetry SDK:
/// <c>.AddMeter(WabaHooksTelemetry.MeterName)</c> and <c>.AddSource(WabaHooksTelemetry.ActivitySourceName)</c>.
/// </summary>
public static class WabaHooksTelemetry
{
    /// <summary>The name of WabaHooks' <see cref="System.Diagnostics.Metrics.Meter"/>: <c>WabaHooks</c>.</summary>
    public const string MeterName = "WabaHooks";

    /// <summary>The name of WabaHooks' <see cref="System.Diagnostics.ActivitySource"/>: <c>WabaHooks</c>, the same as the meter's.</summary>
    public const string ActivitySourceName = WabaHooks.Diagnostics.TraceLinks.SourceName;
}
