using System.Globalization;
using Microsoft.Extensions.Configuration;
using WabaHooks.Graph;

namespace WabaHooks.Cli.Configuration;

/// <summary>Reads <see cref="WatchSettings"/> from the configuration, adding every problem to the list.</summary>
internal static class WatchSettingsReader
{
    public static WatchSettings Read(IConfiguration configuration, ICollection<string> errors, Func<string, string?>? readEnvironment = null)
    {
        readEnvironment ??= Environment.GetEnvironmentVariable;
        var defaults = new WatchSettings();
        var section = configuration.GetSection(ConfigurationKeys.WatchWabaId);

        // One value (--watch-waba-id once, WABAHOOKS__WATCHWABAID) or a list (repeated option, a JSON array, WABAHOOKS__WATCHWABAID__0).
        var wabaIds = (section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? ""))
            .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries))
            .ToList();
        if (wabaIds.Any(id => id.Length == 0 || !id.All(char.IsAsciiDigit)))
        {
            errors.Add("--watch-waba-id: each WABA id is a number, as in WhatsApp Manager > Account tools (e.g. --watch-waba-id 109876543210001); repeat the option for several.");
        }

        var token = NonEmpty(configuration[ConfigurationKeys.AccessToken]) ?? NonEmpty(readEnvironment(GraphClientOptions.AccessTokenEnvironmentVariable));
        if (wabaIds.Count > 0 && token is null)
        {
            errors.Add($"--watch-waba-id needs a Graph token to call /{{waba-id}}/subscribed_apps: give --access-token TOKEN, or set {GraphClientOptions.AccessTokenEnvironmentVariable} (or WABAHOOKS__ACCESSTOKEN), with a system-user token that has whatsapp_business_management.");
        }

        Uri? graphUrl = null;
        if (NonEmpty(configuration[ConfigurationKeys.GraphUrl]) is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp))
            {
                graphUrl = parsed;
            }
            else
            {
                errors.Add($"--graph-url '{url}' must be an absolute http or https URL (default https://graph.facebook.com).");
            }
        }

        var interval = ReadDuration(configuration[ConfigurationKeys.SubscriptionCheckInterval], "--subscription-check-interval", defaults.SubscriptionCheckInterval, errors);
        if (interval < TimeSpan.FromSeconds(1))
        {
            errors.Add("--subscription-check-interval must be at least 1 second (default 900 = 15 minutes).");
        }

        var silence = ReadDuration(configuration[ConfigurationKeys.SilenceWarning], "--silence-warning", defaults.SilenceWarning, errors);
        if (silence < TimeSpan.Zero)
        {
            errors.Add("--silence-warning cannot be negative; give 0 to turn silence warnings off (default 3600 = 1 hour).");
        }

        return new WatchSettings
        {
            WabaIds = [.. wabaIds.Where(id => id.Length > 0).Distinct(StringComparer.Ordinal)],
            AppId = NonEmpty(configuration[ConfigurationKeys.WatchAppId]),
            AccessToken = token,
            GraphUrl = graphUrl,
            SubscriptionCheckInterval = interval,
            SilenceWarning = silence,
        };
    }

    /// <summary>Seconds (<c>900</c>, or <c>0.05</c> from a JSON number) or a TimeSpan (<c>00:15:00</c>).</summary>
    internal static TimeSpan ReadDuration(string? value, string option, TimeSpan fallback, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        // "0.5" is half a second: TimeSpan would refuse it (its "d.hh" form needs a colon), so it is never ambiguous.
        if (double.TryParse(value, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && Math.Abs(seconds) <= TimeSpan.MaxValue.TotalSeconds - 1)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        errors.Add($"{option} '{value}' is neither seconds (e.g. 900 or 0.5) nor a TimeSpan (e.g. 00:15:00).");
        return fallback;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
