using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaHooks.Hosting.Destinations;

namespace WabaHooks.Hosting.Health;

/// <summary>
/// Each destination's circuit in this process, under the data key <c>destinations</c>; degraded while one is open. Never
/// unhealthy: a failing destination is not cured by taking this instance out of the load balancer.
/// </summary>
internal sealed class DestinationsHealthCheck(DestinationStatusBoard board) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statuses = board.Report();
        var data = new Dictionary<string, object>
        {
            ["destinations"] = JsonSerializer.SerializeToElement(statuses, DestinationsHealthJsonContext.Default.IReadOnlyListDestinationStatus),
        };
        var open = statuses.Where(s => s.Circuit != "closed").Select(s => s.Name).ToList();
        return Task.FromResult(open.Count == 0
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Degraded($"paused after failing: {string.Join(", ", open)}", data: data));
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<DestinationStatus>))]
internal sealed partial class DestinationsHealthJsonContext : JsonSerializerContext;
