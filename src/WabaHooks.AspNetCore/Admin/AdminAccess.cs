using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>The default rule of the admin group: with no other policy on the endpoint, loopback requests only.</summary>
internal sealed class LocalOnlyRequirement : IAuthorizationRequirement;

/// <summary>The rule of operator actions; see <see cref="WabaHooksAdminPolicies.Operator"/>.</summary>
internal sealed class OperatorRequirement : IAuthorizationRequirement;

/// <summary>
/// Decides both admin rules from the endpoint's own authorization metadata, so that a policy the application adds to
/// the group replaces the local-only default (Hangfire's default, whose accidental removal once exposed dashboards),
/// and the token roles apply only where the token policies are in use.
/// </summary>
internal sealed class AdminAccessHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        var access = Describe(http);
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            switch (requirement)
            {
                case LocalOnlyRequirement when access != AdminAccessMode.LocalOnly || IsLocal(http):
                    context.Succeed(requirement);
                    break;
                case OperatorRequirement when access switch
                {
                    AdminAccessMode.LocalOnly => IsLocal(http),
                    AdminAccessMode.Tokens => context.User.IsInRole(WabaHooksAdminRoles.Operator),
                    _ => true, // The application's own policy admitted the user to the group; it decides for actions too.
                }:
                    context.Succeed(requirement);
                    break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the request comes from this machine (and no proxy in front said otherwise).</summary>
    public static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    /// <summary>Which rule governs the endpoint: the default, the token policies, or the application's own policy.</summary>
    public static AdminAccessMode Describe(HttpContext http)
    {
        var metadata = http.GetEndpoint()?.Metadata;
        if (metadata is null)
        {
            return AdminAccessMode.LocalOnly;
        }

        var own = 0;
        var tokens = 0;
        foreach (var data in metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            switch (data.Policy)
            {
                case WabaHooksAdminPolicies.LocalOnly or WabaHooksAdminPolicies.Operator when data.Roles is null && data.AuthenticationSchemes is null:
                    break;
                case WabaHooksAdminPolicies.Viewer when data.Roles is null && data.AuthenticationSchemes is null:
                    tokens++;
                    break;
                default:
                    own++;
                    break;
            }
        }

        own += metadata.GetOrderedMetadata<AuthorizationPolicy>().Count + metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count;
        return own > 0 ? AdminAccessMode.Application : tokens > 0 ? AdminAccessMode.Tokens : AdminAccessMode.LocalOnly;
    }
}

/// <summary>Which rule governs an admin endpoint.</summary>
internal enum AdminAccessMode
{
    LocalOnly,
    Tokens,
    Application,
}
