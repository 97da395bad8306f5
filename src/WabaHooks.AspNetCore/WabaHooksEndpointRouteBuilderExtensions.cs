using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore;
using WabaHooks.AspNetCore.Health;
using WabaHooks.AspNetCore.Receiving;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps WabaHooks' endpoints.</summary>
public static class WabaHooksEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps Meta's callback URL: GET answers the verification handshake, POST receives deliveries, other methods get 405.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The callback path. Default <c>/webhook</c>.</param>
    /// <exception cref="InvalidOperationException"><c>AddWabaHooks</c> was not called on the service collection.</exception>
    public static IEndpointConventionBuilder MapWabaHooks(this IEndpointRouteBuilder endpoints, string pattern = "/webhook")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        EnsureAdded(endpoints);
        // Resolved per request (a singleton lookup), so invalid options fail at start-up with every problem listed,
        // not here while routes are being mapped.
        return endpoints.Map(pattern, static context => context.RequestServices.GetRequiredService<WebhookEndpoint>().HandleAsync(context))
            .WithDisplayName("WabaHooks webhook");
    }

    /// <summary>
    /// Maps <c>/healthz</c> (the process answers) and <c>/readyz</c>: 200 while the inbox commits and the processor
    /// makes progress, 503 with the reason otherwise.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="livenessPattern">Where liveness is answered.</param>
    /// <param name="readinessPattern">Where readiness is answered.</param>
    /// <param name="includeDetails">
    /// Also show the store's error text, the watchdog's WABAs and phone numbers, and each destination's circuit. Off by
    /// default: readiness is usually reachable wherever the callback URL is, and those details are for operators only.
    /// </param>
    /// <exception cref="InvalidOperationException"><c>AddWabaHooks</c> was not called on the service collection.</exception>
    public static IEndpointConventionBuilder MapWabaHooksHealth(this IEndpointRouteBuilder endpoints, string livenessPattern = "/healthz", string readinessPattern = "/readyz", bool includeDetails = false)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EnsureAdded(endpoints);
        var group = endpoints.MapGroup("");
        group.MapGet(livenessPattern, HealthEndpoints.Live);
        group.MapGet(readinessPattern, (HttpContext context, CancellationToken cancellationToken) => HealthEndpoints.ReadyAsync(context, includeDetails, cancellationToken));
        return group;
    }

    private static void EnsureAdded(IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<WabaHooksMarker>() is null)
        {
            throw new InvalidOperationException(
                "WabaHooks services are not registered. Call services.AddWabaHooks(...) (and choose a store, e.g. .UseSqlite(dataDir)) before MapWabaHooks.");
        }
    }
}
