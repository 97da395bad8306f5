using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Destinations;
using WabaHooks.AspNetCore.Watchdog;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Health;

/// <summary>Liveness and readiness for load balancers and orchestrators.</summary>
internal static class HealthEndpoints
{
    public static IResult Live() => Results.Text("alive\n", "text/plain");

    /// <remarks>
    /// Readiness is about the store only: a missing subscription, a silence or a failing destination is not cured by
    /// taking this instance out of the load balancer, so they show in the body but keep the status 200.
    /// </remarks>
    public static async Task<IResult> ReadyAsync(IDeliveryStore store, HttpContext context, CancellationToken cancellationToken)
    {
        // Looked up rather than injected: the watchdog is optional, and minimal APIs would not bind a missing service.
        var watchdog = context.RequestServices.GetService<SubscriptionWatchdog>()?.Report();
        var destinations = context.RequestServices.GetService<DestinationStatusBoard>()?.Report();
        try
        {
            await store.CheckWritableAsync(cancellationToken).ConfigureAwait(false);
            return Results.Json(new ReadinessReport("ready", "ok", watchdog, destinations), HealthJsonContext.Default.ReadinessReport);
        }
        catch (StoreUnavailableException ex)
        {
            return Results.Json(new ReadinessReport("unavailable", ex.Message, watchdog, destinations), HealthJsonContext.Default.ReadinessReport, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
