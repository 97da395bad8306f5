using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Hosting.Admin;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the admin surface: the JSON API under <c>/api/</c>, its live stream, the login page and the OpenAPI document.</summary>
public static class WabaHooksAdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin API under <paramref name="prefix"/> and returns the group, so pages (the dashboard) and
    /// conventions can be added to it. <b>Closed by default:</b> with no policy on the group, only loopback requests are
    /// admitted. <c>.RequireAuthorization(WabaHooksAdminPolicies.Viewer)</c> admits the admin tokens instead (viewer
    /// reads, operator acts); <c>.RequireAuthorization(yourPolicy)</c> admits whom your policy admits, for reading and
    /// acting alike. Every state-changing call made with a cookie must carry an antiforgery token
    /// (<c>GET {prefix}/api/antiforgery</c>); bearer calls need none.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="prefix">Where the admin surface lives, e.g. <c>/wabahooks</c>; "" for the root of a listener of its own.</param>
    /// <exception cref="InvalidOperationException"><c>AddWabaHooks(…).UseSqlite()</c> (or another store) and <c>.AddAdmin()</c> were not called.</exception>
    public static RouteGroupBuilder MapWabaHooksAdmin(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        prefix = prefix.TrimEnd('/');
        if (prefix.Length > 0 && !prefix.StartsWith('/'))
        {
            throw new ArgumentException($"The admin prefix must start with '/', e.g. /wabahooks; got '{prefix}'.", nameof(prefix));
        }

        var services = endpoints.ServiceProvider;
        if (services.GetService<WabaHooksQueries>() is null || services.GetService<AdminTokens>() is null)
        {
            throw new InvalidOperationException(
                "The WabaHooks admin services are not registered. Call services.AddWabaHooks(...).UseSqlite() (or UsePostgres()) and .AddAdmin() before MapWabaHooksAdmin.");
        }

        var group = endpoints.MapGroup(prefix);
        group.WithMetadata(new AdminEndpointMetadata(prefix));
        group.RequireAuthorization(WabaHooksAdminPolicies.LocalOnly);
        AdminLoginEndpoints.Map(group);
        var api = group.MapGroup("/api").WithTags("WabaHooks admin");
        AdminQueryEndpoints.Map(api);
        AdminActionEndpoints.Map(api);
        AdminStreamEndpoint.Map(api);
        group.MapOpenApi("/openapi/" + AdminOpenApi.DocumentName + ".json");
        return group;
    }
}
