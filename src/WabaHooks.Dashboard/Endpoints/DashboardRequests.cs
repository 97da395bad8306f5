using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Admin;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>Builds the <see cref="DashboardRequest"/> a page renders with.</summary>
internal static class DashboardRequests
{
    public static async Task<DashboardRequest> CreateAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var basePath = BasePath(context);
        var canOperate = await DashboardRoles.CanOperateAsync(context).ConfigureAwait(false);
        var flash = context.Request.Query["done"].ToString();
        return new DashboardRequest(
            basePath,
            tokens.FormFieldName,
            tokens.RequestToken ?? "",
            canOperate,
            DashboardRoles.Reader(context),
            services.GetRequiredService<TimeProvider>().GetUtcNow(),
            flash.Length == 0 ? null : flash);
    }

    /// <summary>
    /// The dashboard's prefix as the browser sees it: the host's path base plus the admin group's prefix.
    /// </summary>
    public static string BasePath(HttpContext context) =>
        (context.Request.PathBase + (AdminEndpointMetadata.Of(context)?.Prefix ?? "")).TrimEnd('/');
}
