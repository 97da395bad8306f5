using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Dashboard;
using WabaHooks.Dashboard.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the WabaHooks dashboard.</summary>
public static class WabaHooksDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard's pages and assets under <paramref name="prefix"/>. With no authorization policy it admits
    /// requests from this machine only; give one with <c>.RequireAuthorization(policy)</c> on the returned builder to
    /// open it to others.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="prefix">Where the dashboard lives. Default <c>/wabahooks</c>.</param>
    /// <returns>A builder for conventions over every dashboard endpoint (authorization, host filters, …).</returns>
    /// <exception cref="InvalidOperationException"><c>AddWabaHooksDashboard</c> (or <c>AddWabaHooks</c>) was not called.</exception>
    public static IEndpointConventionBuilder MapWabaHooksDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/wabahooks")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<DashboardMarker>() is null)
        {
            throw new InvalidOperationException(
                "The WabaHooks dashboard services are not registered. Call services.AddWabaHooksDashboard() (beside services.AddWabaHooks(...)) before MapWabaHooksDashboard.");
        }

        prefix = prefix.TrimEnd('/');
        var group = endpoints.MapGroup(prefix);
        group.WithMetadata(new DashboardPrefix(prefix));
        group.AddEndpointFilter<LocalRequestsOnly>();
        group.AddEndpointFilter<SecurityHeaders>();
        DashboardAssets.Map(group);
        DashboardPages.Map(group);
        return group;
    }
}
