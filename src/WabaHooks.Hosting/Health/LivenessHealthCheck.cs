using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WabaHooks.Hosting.Health;

/// <summary>Healthy whenever it runs: liveness asks only whether the process still answers.</summary>
internal sealed class LivenessHealthCheck : IHealthCheck
{
    private static readonly Task<HealthCheckResult> Alive = Task.FromResult(HealthCheckResult.Healthy("alive"));

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Alive;
}
