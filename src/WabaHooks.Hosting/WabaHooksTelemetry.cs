namespace WabaHooks.Hosting;

/// <summary>
/// The names under which WabaHooks publishes its metrics and traces, to pass to an OpenTelemetry SDK:
/// <c>.AddMeter(WabaHooksTelemetry.MeterName)</c>.
/// </summary>
public static class WabaHooksTelemetry
{
    /// <summary>The name of WabaHooks' <see cref="System.Diagnostics.Metrics.Meter"/>: <c>WabaHooks</c>.</summary>
    public const string MeterName = "WabaHooks";
}
