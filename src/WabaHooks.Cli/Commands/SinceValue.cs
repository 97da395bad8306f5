using System.Globalization;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// Parses <c>--since</c>: an ISO 8601 instant (UTC when it names no offset) or a duration back from now —
/// <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>3d</c>, <c>1w</c>.
/// </summary>
internal static class SinceValue
{
    public const string Help = "Only events stored at or after this time: ISO 8601 (2026-11-25T10:00:00Z; UTC when no offset) or a duration back from now (15m, 2h, 3d).";

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-ddTHH:mmK",
        "yyyy-MM-ddTHH:mm:ssK",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset since, out string error)
    {
        since = default;
        error = "";
        var value = text.Trim();
        if (TryParseDuration(value, out var duration))
        {
            since = now - duration;
            return true;
        }

        if (DateTimeOffset.TryParseExact(value, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out since))
        {
            return true;
        }

        error = $"--since: '{text}' is neither an ISO 8601 time (2026-11-25T10:00:00Z) nor a duration such as 15m, 2h or 3d.";
        return false;
    }

    private static bool TryParseDuration(string value, out TimeSpan duration)
    {
        duration = default;
        if (value.Length < 2 || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan unit;
        switch (value[^1])
        {
            case 's': unit = TimeSpan.FromSeconds(1); break;
            case 'm': unit = TimeSpan.FromMinutes(1); break;
            case 'h': unit = TimeSpan.FromHours(1); break;
            case 'd': unit = TimeSpan.FromDays(1); break;
            case 'w': unit = TimeSpan.FromDays(7); break;
            default: return false;
        }

        // Anything beyond a century back is a typo, and would overflow DateTimeOffset arithmetic long before that.
        if (amount > 36_500 * TimeSpan.TicksPerDay / unit.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks(amount * unit.Ticks);
        return true;
    }
}
