using Microsoft.AspNetCore.Http;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>
/// The headers every dashboard response carries: a strict Content-Security-Policy (scripts, styles and connections
/// from this origin only, no inline script or style), no framing, no referrer, and no caching of pages that show
/// stored payloads.
/// </summary>
internal sealed class SecurityHeaders : IEndpointFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (!context.HttpContext.Request.Path.Value!.Contains("/assets/", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-store";
        }

        return next(context);
    }
}
