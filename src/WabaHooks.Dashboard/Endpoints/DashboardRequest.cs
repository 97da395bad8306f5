using System.Globalization;
using System.Text;

namespace WabaHooks.Dashboard.Endpoints;

/// <summary>
/// What every page needs to know about the request it renders for: where the dashboard is mounted (links are built
/// from it), the antiforgery token its forms carry, whether the reader may act, and the time "3 min ago" counts from.
/// </summary>
/// <param name="BasePath">The dashboard's prefix, e.g. <c>/wabahooks</c>, with no trailing slash.</param>
/// <param name="AntiforgeryField">The form field the antiforgery token travels in.</param>
/// <param name="AntiforgeryToken">The request token for this reader's forms.</param>
/// <param name="CanOperate">Whether the reader holds the operator role: only then are action buttons shown.</param>
/// <param name="Reader">Who is reading, as the audit log names them.</param>
/// <param name="Now">The current time, from the host's <see cref="TimeProvider"/>.</param>
/// <param name="Flash">A one-line result of the last action, carried in the redirect's query string.</param>
public sealed record DashboardRequest(
    string BasePath,
    string AntiforgeryField,
    string AntiforgeryToken,
    bool CanOperate,
    string Reader,
    DateTimeOffset Now,
    string? Flash = null)
{
    /// <summary>A link under the dashboard, with the query parameters that have a value (in order, escaped).</summary>
    public string Url(string path, params (string Name, string? Value)[] query) => Build(BasePath + path, query);

    /// <summary>The API's address for <paramref name="path"/> (under <c>/api</c>), with a query string.</summary>
    public string Api(string path, params (string Name, string? Value)[] query) => Build(BasePath + "/api" + path, query);

    /// <summary>A time as "3 min ago"; the absolute UTC time goes in the element's title and datetime.</summary>
    public string Ago(DateTimeOffset at)
    {
        var span = Now - at;
        var future = span < TimeSpan.Zero;
        if (future)
        {
            span = -span;
        }

        string text = span.TotalSeconds < 45 ? $"{Math.Max(1, (int)span.TotalSeconds)} s"
            : span.TotalMinutes < 60 ? $"{(int)Math.Round(span.TotalMinutes)} min"
            : span.TotalHours < 36 ? $"{(int)Math.Round(span.TotalHours)} h"
            : $"{(int)Math.Round(span.TotalDays)} d";
        return future ? "in " + text : text + " ago";
    }

    /// <summary>The absolute UTC form of a time, as shown on hover and in detail pages.</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    internal static string Build(string path, (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in query)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return builder.ToString();
    }
}
