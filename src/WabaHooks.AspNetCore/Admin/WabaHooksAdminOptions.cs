using WabaHooks.Hosting.Configuration;

namespace WabaHooks.AspNetCore.Admin;

/// <summary>
/// The admin surface's settings, in the <c>Admin</c> sub-section of the WabaHooks configuration. Tokens are re-read
/// when the configuration changes: a changed token ends the sessions it opened.
/// </summary>
public sealed class WabaHooksAdminOptions
{
    /// <summary>The default of <see cref="Urls"/>: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8081";

    /// <summary>
    /// Where <c>wabahooks serve</c> runs the admin listener (dashboard, admin API, <c>/metrics</c>), separated by
    /// <c>;</c>: <c>http://HOST:PORT</c>. Empty turns it off. A library user maps the admin surface in their own app
    /// instead. Default <c>http://127.0.0.1:8081</c>.
    /// </summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>
    /// The token that grants the viewer role (read only). At least 16 characters. Default none.
    /// </summary>
    [Secret]
    public string? ViewerToken { get; set; }

    /// <summary>
    /// The token that grants the operator role (read, retry, replay, pause). At least 16 characters. Default none;
    /// <c>wabahooks serve</c> generates one on first start and keeps it beside the local credentials.
    /// </summary>
    [Secret]
    public string? OperatorToken { get; set; }

    /// <summary>How long a browser session lasts without use. Default 8 hours.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
