using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Graph;

namespace WabaHooks.Cli.Doctor;

/// <summary>The Graph client the Graph checks share the settings of, and how a Graph failure reads as a finding.</summary>
internal static class GraphAccess
{
    /// <summary>A client over the named HTTP client every Graph call of the CLI goes through; dispose the scope after.</summary>
    public static (GraphClient Client, IDisposable Scope) Create(DoctorContext context)
    {
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        return (new GraphClient(services.GetRequiredService<IHttpClientFactory>(), context.Graph), services);
    }

    /// <summary>Why the Graph checks are skipped, or null when there is a token to call with.</summary>
    public static Finding? SkipWithoutToken(string check, DoctorContext context) =>
        context.HasAccessToken
            ? null
            : Finding.Skip(check, "no Graph token.", $"Give --access-token (a system-user token with whatsapp_business_management) or set {GraphClientOptions.AccessTokenEnvironmentVariable} to check the subscriptions Meta holds.");

    /// <summary>A failed Graph call as a finding, in Meta's own terms.</summary>
    public static Finding Failure(string check, string call, Exception ex) => ex switch
    {
        GraphApiException { Code: 190 } or GraphApiException { StatusCode: HttpStatusCode.Unauthorized } =>
            Finding.Fail(check, $"{call}: the Graph API refused the token ({ex.Message}).", "Create a new token (it expired or was revoked) and give it with --access-token or WABAHOOKS_ACCESS_TOKEN."),
        GraphApiException graph =>
            Finding.Fail(check, $"{call}: the Graph API refused the request: {graph.Message} (code {graph.Code?.ToString(CultureInfo.InvariantCulture) ?? "none"}, fbtrace_id {graph.FbtraceId ?? "none"}).", "Check the ids and that the token's app has whatsapp_business_management on them."),
        TimeoutException =>
            Finding.Fail(check, $"{call}: the Graph API did not answer in time.", "Check this host's outbound HTTPS access to the Graph API."),
        _ =>
            Finding.Fail(check, $"{call}: cannot reach the Graph API: {ex.Message}", "Check this host's outbound HTTPS access (DNS, proxy, firewall) to the Graph API."),
    };

    /// <summary>Whether an exception is one a Graph call reports instead of a bug.</summary>
    public static bool IsGraphFailure(Exception ex) => ex is GraphApiException or TimeoutException or HttpRequestException;

    /// <summary>Whether two callback URLs name the same endpoint (scheme and host case, default ports, a trailing slash aside).</summary>
    public static bool SameUrl(string? a, Uri b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var parsed)
        && Uri.Compare(Trim(parsed), Trim(b), UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;

    private static Uri Trim(Uri url) => url.AbsolutePath.Length > 1 && url.AbsolutePath.EndsWith('/') ? new Uri(url.GetLeftPart(UriPartial.Authority) + url.AbsolutePath.TrimEnd('/') + url.Query) : url;
}
