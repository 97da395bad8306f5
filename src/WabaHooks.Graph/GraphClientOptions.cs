using System.Globalization;
using System.Text.RegularExpressions;
using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Graph;

/// <summary>Where and how <see cref="GraphClient"/> calls Meta's Graph API.</summary>
/// <remarks>
/// Two kinds of token are involved (reference §5.1): <c>/{app-id}/subscriptions</c> takes an app access token
/// (<c>{app-id}|{app-secret}</c>, see <see cref="AppAccessToken"/>), while <c>/{waba-id}/subscribed_apps</c> and
/// <c>/{phone-number-id}</c> take a system-user or business-integration token (<see cref="AccessToken"/>).
/// <see cref="ToString"/> never shows either token.
/// </remarks>
public sealed partial class GraphClientOptions
{
    /// <summary>The environment variable read when <see cref="AccessToken"/> is not set: <c>WABAHOOKS_ACCESS_TOKEN</c>.</summary>
    public const string AccessTokenEnvironmentVariable = "WABAHOOKS_ACCESS_TOKEN";

    private static readonly TimeSpan MinRequestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(24);

    /// <summary>The Graph API host. Default <c>https://graph.facebook.com</c>.</summary>
    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com");

    /// <summary>
    /// The Graph API version put at the start of every path, in Meta's form <c>vNN.N</c>. Default <c>v24.0</c>, the version
    /// Meta's current WhatsApp samples use.
    /// </summary>
    public string Version { get; set; } = "v24.0";

    /// <summary>
    /// The system-user or business-integration token with <c>whatsapp_business_management</c>, sent as
    /// <c>Authorization: Bearer</c> to the WABA and phone-number endpoints. Default <see langword="null"/>: the value of
    /// the <c>WABAHOOKS_ACCESS_TOKEN</c> environment variable is used (see <see cref="ResolveAccessToken()"/>).
    /// </summary>
    [Secret]
    public string? AccessToken { get; set; }

    /// <summary>
    /// The app access token (<c>{app-id}|{app-secret}</c>, see <see cref="CreateAppAccessToken"/>) sent as the
    /// <c>access_token</c> parameter to <c>/{app-id}/subscriptions</c>. Default <see langword="null"/>: the resolved
    /// <see cref="AccessToken"/> is used, for setups that configure a single token.
    /// </summary>
    [Secret]
    public string? AppAccessToken { get; set; }

    /// <summary>How many times a failed request is retried after the first attempt; 0 turns retries off. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// About how long the first retry waits; later retries wait exponentially longer, each wait randomised (jitter) so that
    /// many clients do not retry in step, and none longer than <see cref="MaxRetryDelay"/>. Default 1 second.
    /// </summary>
    public TimeSpan BackoffBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait before a retry, whether computed by backoff or asked for by a <c>Retry-After</c> header; at most
    /// 24 hours. Default 30 seconds.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one attempt (sending and reading the answer) may take before it is abandoned: from 10 milliseconds to 24
    /// hours. Default 30 seconds.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Builds an app access token, <c>{app-id}|{app-secret}</c>, as Meta documents it.</summary>
    /// <param name="appId">The Meta app id.</param>
    /// <param name="appSecret">The app secret from App Dashboard &gt; App settings &gt; Basic.</param>
    /// <exception cref="ArgumentException">Either value is null, empty or white space, or the id contains <c>|</c>.</exception>
    public static string CreateAppAccessToken(string appId, string appSecret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        ArgumentException.ThrowIfNullOrWhiteSpace(appSecret);
        if (appId.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("An app id cannot contain '|'.", nameof(appId));
        }

        return appId + "|" + appSecret;
    }

    /// <summary>
    /// The token for the WABA and phone-number endpoints: <see cref="AccessToken"/> when set, otherwise the
    /// <c>WABAHOOKS_ACCESS_TOKEN</c> environment variable, otherwise <see langword="null"/>.
    /// </summary>
    public string? ResolveAccessToken() => ResolveAccessToken(Environment.GetEnvironmentVariable);

    /// <summary>The token for <c>/{app-id}/subscriptions</c>: <see cref="AppAccessToken"/>, else <see cref="ResolveAccessToken()"/>.</summary>
    public string? ResolveAppAccessToken() => ResolveAppAccessToken(Environment.GetEnvironmentVariable);

    internal string? ResolveAccessToken(Func<string, string?> readEnvironment) =>
        NullIfBlank(AccessToken) ?? NullIfBlank(readEnvironment(AccessTokenEnvironmentVariable));

    internal string? ResolveAppAccessToken(Func<string, string?> readEnvironment) =>
        NullIfBlank(AppAccessToken) ?? ResolveAccessToken(readEnvironment);

    /// <summary>A copy, so a client is not changed by later edits to the options it was given.</summary>
    internal GraphClientOptions Snapshot() => (GraphClientOptions)MemberwiseClone();

    /// <summary>Every problem with these options, each saying how to fix it; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("BaseUrl must be an absolute http or https URL, such as https://graph.facebook.com.");
        }

        if (Version is null || !VersionPattern().IsMatch(Version))
        {
            errors.Add($"Version must look like v24.0 (was '{Version}').");
        }

        if (MaxRetries < 0)
        {
            errors.Add($"MaxRetries must be 0 or more (was {MaxRetries.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (BackoffBaseDelay <= TimeSpan.Zero)
        {
            errors.Add($"BackoffBaseDelay must be positive (was {BackoffBaseDelay}).");
        }

        // The upper and lower limits are the resilience pipeline's: it refuses waits and timeouts outside them.
        if (MaxRetryDelay < BackoffBaseDelay || MaxRetryDelay > MaxWait)
        {
            errors.Add($"MaxRetryDelay must be at least BackoffBaseDelay and at most 24 hours (was {MaxRetryDelay}, base {BackoffBaseDelay}).");
        }

        if (RequestTimeout < MinRequestTimeout || RequestTimeout > MaxWait)
        {
            errors.Add($"RequestTimeout must be between 10 milliseconds and 24 hours (was {RequestTimeout}).");
        }

        return errors;
    }

    /// <inheritdoc/>
    /// <remarks>Shows whether each token is set, never its value.</remarks>
    public override string ToString() =>
        $"GraphClientOptions {{ BaseUrl = {BaseUrl}, Version = {Version}, AccessToken = {Describe(AccessToken)}, " +
        $"AppAccessToken = {Describe(AppAccessToken)}, MaxRetries = {MaxRetries.ToString(CultureInfo.InvariantCulture)}, " +
        $"BackoffBaseDelay = {BackoffBaseDelay}, MaxRetryDelay = {MaxRetryDelay}, RequestTimeout = {RequestTimeout} }}";

    private static string Describe(string? token) => string.IsNullOrWhiteSpace(token) ? "(not set)" : "(set)";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [GeneratedRegex(@"^v[0-9]+\.[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
