using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>The browser session: HTTP-only, SameSite=Strict, ended when the token that opened it changes.</summary>
internal static class AdminCookie
{
    public static void Configure(CookieAuthenticationOptions cookie, WabaHooksAdminOptions admin)
    {
        cookie.Cookie.Name = WabaHooksAdminSchemes.CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        // Secure whenever the admin listener is HTTPS; a loopback http:// listener still gets its cookie.
        cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = admin.SessionIdleTimeout;
        cookie.SlidingExpiration = true;
        cookie.Events.OnRedirectToLogin = context =>
        {
            // A page goes to the login form; an API call gets a status it can act on.
            if (AdminEndpointMetadata.IsPage(context.HttpContext) && AdminEndpointMetadata.Of(context.HttpContext) is { } group)
            {
                context.Response.Redirect(context.Request.PathBase + group.LoginPath + "?ReturnUrl=" + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString));
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }

            return Task.CompletedTask;
        };
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var tokens = context.HttpContext.RequestServices.GetRequiredService<AdminTokens>();
            var principal = context.Principal;
            if (!tokens.StillValid(principal?.FindFirstValue(AdminTokens.FingerprintClaim), principal?.FindFirstValue(ClaimTypes.Role)))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(WabaHooksAdminSchemes.Cookie).ConfigureAwait(false);
            }
        };
    }
}
