using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Health;

/// <summary>Unhealthy while the inbox cannot commit: every delivery would be answered 503.</summary>
/// <remarks>
/// A healthy instance answers from what the writer last saw, without touching the store: a probe every few seconds must
/// not compete with the writer for SQLite's write lock. Only after a failed commit does it check the store itself, so an
/// instance taken out of the load balancer (and so receiving nothing that could clear the failure) comes back once the
/// store does.
/// </remarks>
internal sealed class InboxHealthCheck(GroupCommitWriter writer, IDeliveryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (writer.LastCommitFailure is null)
        {
            return HealthCheckResult.Healthy();
        }

        try
        {
            await store.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (StoreUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy(
                "the inbox cannot commit deliveries",
                data: new Dictionary<string, object> { [WabaHooksHealthChecks.DetailKey] = ex.Message });
        }
    }
}
