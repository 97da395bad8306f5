using System.Globalization;

namespace WabaHooks.Cli.Output;

/// <summary>How tables print times: UTC, to the second, the same in every command.</summary>
internal static class Timestamps
{
    public static string Utc(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    /// <summary>The round-trip form, for metadata blocks where the exact instant matters.</summary>
    public static string Exact(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : "unknown";
}
