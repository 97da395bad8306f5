using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaHooks.Hosting.Processing;
using WabaHooks.Processing;

namespace WabaHooks.Hosting.Health;

/// <summary>
/// Unhealthy once the processor has made no progress for <see cref="ProcessorOptions.StalledAfter"/>: deliveries are
/// acknowledged but nothing is handled. A processor that is merely retrying a short outage stays healthy.
/// </summary>
internal sealed class ProcessorHealthCheck(ProcessingProgress progress, ProcessorOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (progress.Stall() is { } stall && stall.Since >= options.StalledAfter)
        {
            var minutes = Math.Floor(stall.Since.TotalMinutes).ToString(CultureInfo.InvariantCulture);
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"processing has made no progress for {minutes} min",
                data: new Dictionary<string, object> { [WabaHooksHealthChecks.DetailKey] = stall.Reason }));
        }

        return Task.FromResult(HealthCheckResult.Healthy());
    }
}
