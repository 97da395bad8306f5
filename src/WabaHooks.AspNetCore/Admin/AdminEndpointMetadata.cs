using Microsoft.AspNetCore.Http;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>Marks every endpoint of the admin group, with where the group is mapped.</summary>
/// <param name="Prefix">The group's path prefix ("" at the root).</param>
public sealed record AdminEndpointMetadata(string Prefix)
{
    /// <summary>The login page.</summary>
    public string LoginPath => Prefix + "/login";

    /// <summary>The admin metadata of the request's endpoint, or <see langword="null"/> outside the admin group.</summary>
    public static AdminEndpointMetadata? Of(HttpContext http) => http?.GetEndpoint()?.Metadata.GetMetadata<AdminEndpointMetadata>();

    /// <summary>Whether the request is for a page (not the API, the stream or the OpenAPI document): pages redirect to the login form.</summary>
    public static bool IsPage(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var prefix = Of(http)?.Prefix ?? "";
        var path = http.Request.Path;
        return !path.StartsWithSegments(prefix + "/api", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments(prefix + "/openapi", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments(prefix + "/metrics", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The OpenAPI document of the admin API.</summary>
public static class AdminOpenApi
{
    /// <summary>Its name: served at <c>{prefix}/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";
}
