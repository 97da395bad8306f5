using System.Net;
using Microsoft.AspNetCore.Http;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>Who is reading, and whether they may act.</summary>
internal static class DashboardRoles
{
    /// <summary>Whether the reader may retry, replay, pause and resume.</summary>
    public static Task<bool> CanOperateAsync(HttpContext context) => Task.FromResult(IsLocal(context));

    /// <summary>The reader's name as the audit log records it.</summary>
    public static string Reader(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "local";

    /// <summary>A request from this machine: the default when no authorization policy was given.</summary>
    public static bool IsLocal(HttpContext context)
    {
        var connection = context.Connection;
        // No address (an in-memory server) is not proof of anything: refused.
        return connection.RemoteIpAddress is not null &&
            ( IPAddress.IsLoopback(connection.RemoteIpAddress) || connection.RemoteIpAddress.Equals(connection.LocalIpAddress));
    }
}
