using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// Token login the way the .NET Aspire dashboard does it: <c>login?t=TOKEN</c> (the one-click URL <c>serve</c> prints)
/// or a form to paste the token into; either sets the HTTP-only, SameSite=Strict session cookie and leaves the token
/// out of the address bar. A minimal server-rendered page: the dashboard may restyle it.
/// </summary>
internal static class AdminLoginEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/login", LoginPageAsync).AllowAnonymous().ExcludeFromDescription();
        group.MapPost("/login", LoginFormAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapPost("/logout", LogoutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    private static async Task LoginPageAsync(HttpContext http, AdminTokens tokens, IAntiforgery antiforgery)
    {
        var returnUrl = LocalReturnUrl(http);
        if (http.Request.Query["t"].ToString() is { Length: > 0 } token)
        {
            if (tokens.RoleFor(token) is { } role)
            {
                await SignInAsync(http, role, token).ConfigureAwait(false);
                http.Response.Redirect(returnUrl);
                return;
            }

            await WriteFormAsync(http, antiforgery, returnUrl, "That token is not an admin token (or it has changed). Paste the current one.", StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }

        await WriteFormAsync(http, antiforgery, returnUrl, null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private static async Task LoginFormAsync(HttpContext http, AdminTokens tokens, IAntiforgery antiforgery)
    {
        var returnUrl = LocalReturnUrl(http);
        if (!http.Request.HasFormContentType || !await AdminAntiforgeryFilter.IsValidAsync(http).ConfigureAwait(false))
        {
            await WriteFormAsync(http, antiforgery, returnUrl, "The form expired; enter the token again.", StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var token = form["token"].ToString().Trim();
        if (tokens.RoleFor(token) is not { } role)
        {
            await WriteFormAsync(http, antiforgery, returnUrl, "That token is not an admin token (or it has changed).", StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }

        await SignInAsync(http, role, token).ConfigureAwait(false);
        http.Response.Redirect(returnUrl);
    }

    private static async Task LogoutAsync(HttpContext http)
    {
        if (!await AdminAntiforgeryFilter.IsValidAsync(http).ConfigureAwait(false))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await http.SignOutAsync(WabaHooksAdminSchemes.Cookie).ConfigureAwait(false);
        http.Response.Redirect(Prefix(http) + "/login");
    }

    private static Task SignInAsync(HttpContext http, string role, string token) =>
        http.SignInAsync(WabaHooksAdminSchemes.Cookie, AdminTokens.Principal(role, token, WabaHooksAdminSchemes.Cookie));

    private static string Prefix(HttpContext http) => http.Request.PathBase + (AdminEndpointMetadata.Of(http)?.Prefix ?? "");

    /// <summary>Where to go after login: a path on this site only, never another host (an open redirect).</summary>
    private static string LocalReturnUrl(HttpContext http)
    {
        var requested = http.Request.Query["ReturnUrl"].ToString();
        if (string.IsNullOrEmpty(requested) && http.Request.HasFormContentType)
        {
            requested = http.Request.Form["ReturnUrl"].ToString();
        }

        return requested.StartsWith('/') && !requested.StartsWith("//", StringComparison.Ordinal) && !requested.StartsWith("/\\", StringComparison.Ordinal)
            ? requested
            : Prefix(http) + "/";
    }

    private static async Task WriteFormAsync(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'none'; form-action 'self'; frame-ancestors 'none'";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        var errorLine = error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        // The token field is a password field: not shown, not kept in form history. Nothing secret is ever written back.
        await http.Response.WriteAsync(
            $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>WabaHooks — log in</title></head>
            <body>
            <main>
            <h1>WabaHooks</h1>
            <p>Enter an admin token. <code>wabahooks serve</code> prints a login link with it; it is also in the data directory, beside the local credentials.</p>
            {errorLine}
            <form method="post" action="{WebUtility.HtmlEncode(Prefix(http) + "/login")}">
            <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
            <input type="hidden" name="ReturnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            <label for="token">Token</label>
            <input id="token" name="token" type="password" autocomplete="off" required autofocus>
            <button type="submit">Log in</button>
            </form>
            </main>
            </body>
            </html>
            """,
            http.RequestAborted).ConfigureAwait(false);
    }
}
