using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Admin;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>Who is reading, and whether they may act: decided by the admin surface's own operator policy.</summary>
internal static class DashboardRoles
{
    /// <summary>Whether the reader may retry, replay, pause and resume: the rule the admin API's actions apply.</summary>
    public static async Task<bool> CanOperateAsync(HttpContext context)
    {
        var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(context.User, context, WabaHooksAdminPolicies.Operator).ConfigureAwait(false);
        return result.Succeeded;
    }

    /// <summary>The reader's name as shown: the token's role, or "local" for the loopback default.</summary>
    public static string Reader(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "local";

    /// <summary>Who acts, as the audit log records it: the reader and where the request came from (as the admin API writes it).</summary>
    public static string Actor(HttpContext context) =>
        $"{Reader(context)}@{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
}
