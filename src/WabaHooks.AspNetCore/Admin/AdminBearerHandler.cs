using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>Authenticates <c>Authorization: Bearer TOKEN</c> with an admin token. The token is never logged.</summary>
internal sealed class AdminBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var token = header[Prefix.Length..].Trim();
        var role = tokens.RoleFor(token);
        return Task.FromResult(role is null
            ? AuthenticateResult.Fail("The bearer token is not an admin token.")
            : AuthenticateResult.Success(new AuthenticationTicket(AdminTokens.Principal(role, token, Scheme.Name), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"wabahooks-admin\"";
        return Task.CompletedTask;
    }
}
