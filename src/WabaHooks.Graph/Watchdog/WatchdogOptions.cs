using System.Globalization;
using WabaHooks.Graph;

namespace WabaHooks.Graph.Watchdog;

/// <summary>
/// What the watchdog watches: Meta may unsubscribe an app whose endpoint keeps failing, and webhooks then stop without
/// a word, so it polls <c>GET /{waba-id}/subscribed_apps</c> and warns about WABAs and phone numbers gone silent.
/// </summary>
public sealed class WatchdogOptions
{
    /// <summary>The WABAs to watch. Default empty; the watchdog does nothing without at least one.</summary>
    public IList<string> WabaIds { get; } = [];

    /// <summary>
    /// The app that must appear in each WABA's <c>subscribed_apps</c>. Default <see langword="null"/>: any subscribed app
    /// will do, so only an empty list warns.
    /// </summary>
    public string? AppId { get; set; }

    /// <summary>How often the subscriptions and the last events are checked. Default 15 minutes.</summary>
    public TimeSpan SubscriptionCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a watched WABA or one of its phone numbers may go without an event before it warns. Default 1 hour;
    /// <see cref="TimeSpan.Zero"/> turns silence warnings off.
    /// </summary>
    public TimeSpan SilenceWarning { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Where the Graph API is and the token to call it with; the token falls back to <c>WABAHOOKS_ACCESS_TOKEN</c>.
    /// Default: Meta's Graph API, three retries.
    /// </summary>
    public GraphClientOptions Graph { get; set; } = new();

    /// <summary>Every problem with these options, each saying how to fix it; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate() => Validate(Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Validate()"/>, with the environment read through <paramref name="readEnvironment"/> (tests pass an empty one).</summary>
    internal IReadOnlyList<string> Validate(Func<string, string?> readEnvironment)
    {
        var errors = new List<string>();
        if (WabaIds.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Watchdog: a WABA id is empty; give the WhatsApp Business Account ids to watch.");
        }

        foreach (var wabaId in WabaIds.Where(id => !string.IsNullOrWhiteSpace(id) && !id.All(char.IsAsciiDigit)))
        {
            errors.Add($"Watchdog: WABA id '{wabaId}' is not a number: each WABA id is a number, e.g. 109876543210001 (WhatsApp Manager > Account tools).");
        }

        if (SubscriptionCheckInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Watchdog: SubscriptionCheckInterval must be at least 1 second (was {SubscriptionCheckInterval.ToString("c", CultureInfo.InvariantCulture)}); the default is 15 minutes.");
        }

        if (SilenceWarning < TimeSpan.Zero)
        {
            errors.Add($"Watchdog: SilenceWarning cannot be negative (was {SilenceWarning.ToString("c", CultureInfo.InvariantCulture)}); use 0 to turn it off.");
        }

        if (Graph is null)
        {
            errors.Add("Watchdog: Graph options are missing.");
            return errors;
        }

        errors.AddRange(Graph.Validate().Select(e => "Watchdog Graph: " + e));
        if (WabaIds.Count > 0 && Graph.ResolveAccessToken(readEnvironment) is null)
        {
            errors.Add($"Watchdog: watching WABAs needs a Graph token: set the access token (a system-user token with whatsapp_business_management) or the {GraphClientOptions.AccessTokenEnvironmentVariable} environment variable.");
        }

        return errors;
    }
}
