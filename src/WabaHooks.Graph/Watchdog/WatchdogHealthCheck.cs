using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WabaHooks.Graph.Watchdog;

/// <summary>
/// The watchdog's report under the data key <c>watchdog</c>; degraded while it has a warning. Never unhealthy: a lost
/// subscription or a silent number is not cured by taking this instance out of the load balancer.
/// </summary>
internal sealed class WatchdogHealthCheck(SubscriptionWatchdog watchdog) : IHealthCheck
{
    /// <summary>The check's name among the application's health checks.</summary>
    public const string Name = "wabahooks-watchdog";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = watchdog.Report();
        var data = new Dictionary<string, object>
        {
            ["watchdog"] = JsonSerializer.SerializeToElement(report, WatchdogJsonContext.Default.WatchdogReport),
        };
        return Task.FromResult(report.Warnings.Count == 0
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Degraded(report.Warnings[0], data: data));
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WatchdogReport))]
internal sealed partial class WatchdogJsonContext : JsonSerializerContext;
