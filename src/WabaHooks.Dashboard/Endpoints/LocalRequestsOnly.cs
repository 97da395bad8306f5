using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>
/// The default when the host gave no authorization policy: only requests from this machine get in. A policy given
/// with <c>.RequireAuthorization(…)</c> takes over; forgetting it never opens the dashboard to the network.
/// </summary>
internal sealed class LocalRequestsOnly : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authorized = http.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null;
        if (!authorized && !DashboardRoles.IsLocal(http))
        {
            return ValueTask.FromResult<object?>(Results.Text(
                "The WabaHooks dashboard admits local requests only. Give it an authorization policy: MapWabaHooksDashboard(...).RequireAuthorization(policy).",
                statusCode: StatusCodes.Status403Forbidden));
        }

        return next(context);
    }
}
