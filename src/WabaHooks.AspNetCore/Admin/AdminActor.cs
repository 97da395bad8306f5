using Microsoft.AspNetCore.Http;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>Who acts, for the audit log: the user's name (the token's role) and where the request came from.</summary>
internal static class AdminActor
{
    public static string Of(HttpContext http)
    {
        var name = http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : "local";
        var from = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return $"{name}@{from}";
    }
}
