using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Health;
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
        // Created at the first request, so invalid options fail at start-up with every problem listed, not here while
        // routes are being mapped.
        var services = endpoints.ServiceProvider;
        var endpoint = new Lazy<WebhookEndpoint>(() =>
        {
            var created = ActivatorUtilities.CreateInstance<WebhookEndpoint>(services).Watch();
            // Disposing writes the counts of repeated failures not yet logged; the container does not own this object.
            services.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(created.Dispose);
            return created;
        });
        return endpoints.Map(pattern, context => endpoint.Value.HandleAsync(context))
            .WithDisplayName("WabaHooks webhook");
    }

    /// <summary>
    /// Maps <c>/healthz</c> (the process answers) and <c>/readyz</c>: 200 while the inbox commits and the processor
    /// makes progress, 503 with the reason otherwise. Both run the health checks <c>AddWabaHooks</c> registers (tagged
    /// <see cref="WabaHooksHealthChecks.LiveTag"/> and <see cref="WabaHooksHealthChecks.ReadyTag"/>); an application
    /// with its own health endpoints can map those tags there instead.
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
        group.MapHealthChecks(livenessPattern, HealthEndpoints.Liveness()).WithDisplayName("WabaHooks liveness");
        group.MapHealthChecks(readinessPattern, HealthEndpoints.Readiness(includeDetails)).WithDisplayName("WabaHooks readiness");
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
