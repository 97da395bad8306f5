using Microsoft.AspNetCore.Http;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Health;

/// <summary>Liveness and readiness for load balancers and orchestrators.</summary>
internal static class HealthEndpoints
{
    public static IResult Live() => Results.Text("alive\n", "text/plain");

    public static async Task<IResult> ReadyAsync(IDeliveryStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(new ReadinessReport("ready", "ok"), HealthJsonContext.Default.ReadinessReport);
        }
        catch (StoreUnavailableException ex)
        {
            return Results.Json(new ReadinessReport("unavailable", ex.Message), HealthJsonContext.Default.ReadinessReport, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
