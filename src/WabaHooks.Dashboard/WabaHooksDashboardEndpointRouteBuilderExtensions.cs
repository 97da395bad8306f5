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
    /// Maps the dashboard's pages, assets and forms together with the admin API they build on
    /// (<c>MapWabaHooksAdmin</c>) under <paramref name="prefix"/>, and returns that group. <b>Closed by default:</b> with
    /// no policy it admits requests from this machine only; <c>.RequireAuthorization(WabaHooksAdminPolicies.Viewer)</c>
    /// admits the admin tokens (viewers read, operators act), <c>.RequireAuthorization(yourPolicy)</c> whom your policy
    /// admits.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="prefix">Where the dashboard lives. Default <c>/wabahooks</c>; "" for the root of a listener of its own.</param>
    /// <returns>The group of every dashboard and admin API endpoint, for conventions (authorization, host filters, …).</returns>
    /// <exception cref="InvalidOperationException">The dashboard or admin services were not registered (<c>AddDashboard()</c>).</exception>
    public static RouteGroupBuilder MapWabaHooksDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/wabahooks")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<DashboardMarker>() is null)
        {
            throw new InvalidOperationException(
                "The WabaHooks dashboard services are not registered. Call services.AddWabaHooks(...).UseSqlite() (or UsePostgres()).AddDashboard() before MapWabaHooksDashboard.");
        }

        var group = endpoints.MapWabaHooksAdmin(prefix);
        var pages = group.MapGroup("").AddEndpointFilter<SecurityHeaders>().ExcludeFromDescription();
        DashboardAssets.Map(pages);
        DashboardPages.Map(pages);
        DashboardActions.Map(pages);
        return group;
    }
}
