namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// The authorization policies of the admin surface (API and dashboard). <see cref="Viewer"/> and <see cref="Operator"/>
/// accept the admin tokens of <see cref="WabaHooksAdminOptions"/> (a bearer header, or the session cookie the login page
/// sets); pass <see cref="Viewer"/> to <c>RequireAuthorization</c> on what <c>MapWabaHooksAdmin</c> returns to use them.
/// </summary>
public static class WabaHooksAdminPolicies
{
    /// <summary>Reads everything: a viewer's or an operator's token.</summary>
    public const string Viewer = "WabaHooks.Admin.Viewer";

    /// <summary>
    /// Acts (retry, replay, bulk jobs, pause, resume). With the token policies: an operator's token only. With your own
    /// policy on the admin group instead, that policy decides for actions too; with none, local requests may act.
    /// </summary>
    public const string Operator = "WabaHooks.Admin.Operator";

    /// <summary>
    /// What the admin group carries by default: with no other policy on it, only loopback requests are admitted. Any
    /// other policy you add replaces that rule.
    /// </summary>
    public const string LocalOnly = "WabaHooks.Admin.LocalOnly";
}

/// <summary>The roles the admin tokens grant, as role claims on the user.</summary>
public static class WabaHooksAdminRoles
{
    /// <summary>Reads everything.</summary>
    public const string Viewer = "viewer";

    /// <summary>Reads everything and acts.</summary>
    public const string Operator = "operator";
}

/// <summary>The authentication schemes the admin tokens use.</summary>
public static class WabaHooksAdminSchemes
{
    /// <summary>Chooses <see cref="Bearer"/> when an <c>Authorization: Bearer</c> header is sent, else <see cref="Cookie"/>.</summary>
    public const string Token = "WabaHooks.Admin";

    /// <summary>An admin token in <c>Authorization: Bearer …</c>: for API clients and scripts.</summary>
    public const string Bearer = "WabaHooks.Admin.Bearer";

    /// <summary>The browser session cookie set by the login page (HTTP-only, SameSite=Strict).</summary>
    public const string Cookie = "WabaHooks.Admin.Cookie";

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "wabahooks_admin";
}
