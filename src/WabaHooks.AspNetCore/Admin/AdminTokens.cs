using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// Checks an admin token against the configured ones, in constant time, re-reading them when the configuration
/// changes. Tokens are compared as SHA-256 digests, so neither their content nor their length shows in the timing.
/// </summary>
internal sealed class AdminTokens(IOptionsMonitor<WabaHooksAdminOptions> options)
{
    /// <summary>The claim that ties a session to the token that opened it: a changed token ends the session.</summary>
    public const string FingerprintClaim = "wabahooks:token";

    /// <summary>Whether any token is configured.</summary>
    public bool Any => options.CurrentValue is { } o && (!string.IsNullOrEmpty(o.ViewerToken) || !string.IsNullOrEmpty(o.OperatorToken));

    /// <summary>The role <paramref name="token"/> grants, or <see langword="null"/>.</summary>
    public string? RoleFor(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var given = Digest(token);
        var current = options.CurrentValue;
        // Both comparisons always run: which one matched does not show in the timing either.
        var isOperator = Matches(given, current.OperatorToken);
        var isViewer = Matches(given, current.ViewerToken);
        return isOperator ? WabaHooksAdminRoles.Operator : isViewer ? WabaHooksAdminRoles.Viewer : null;
    }

    /// <summary>Whether the session fingerprint still names the configured token of <paramref name="role"/>.</summary>
    public bool StillValid(string? fingerprint, string? role)
    {
        var current = options.CurrentValue;
        var token = role switch
        {
            WabaHooksAdminRoles.Operator => current.OperatorToken,
            WabaHooksAdminRoles.Viewer => current.ViewerToken,
            _ => null,
        };
        return fingerprint is not null && !string.IsNullOrEmpty(token)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(fingerprint), Encoding.ASCII.GetBytes(Fingerprint(token)));
    }

    /// <summary>A user for <paramref name="role"/>, signed in with <paramref name="token"/> through <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal Principal(string role, string token, string scheme) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role), new Claim(FingerprintClaim, Fingerprint(token))],
            scheme));

    /// <summary>Names a token without revealing it: part of its digest.</summary>
    private static string Fingerprint(string token) => Convert.ToHexStringLower(Digest(token))[..32];

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static bool Matches(byte[] given, string? configured)
    {
        var equal = CryptographicOperations.FixedTimeEquals(given, Digest(configured ?? ""));
        return equal && !string.IsNullOrEmpty(configured);
    }
}
