using WabaHooks.Storage;

namespace WabaHooks.Dashboard.Views;

/// <summary>
/// Dead letters grouped like issues in an error tracker: by sink and the kind of failure (an HTTP status, or the
/// error's first words), with how many, first and last seen, so a wall of red rows reads as a few problems.
/// </summary>
/// <param name="Sink">The sink.</param>
/// <param name="Kind">The failure: <c>HTTP 500</c>, <c>timeout</c>, …</param>
/// <param name="Count">How many dead letters.</param>
/// <param name="FirstSeen">When the oldest of them was scheduled.</param>
/// <param name="LastSeen">When the newest was scheduled.</param>
/// <param name="Example">One of its events.</param>
public sealed record FailureGroup(string Sink, string Kind, int Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string Example)
{
    internal static IReadOnlyList<FailureGroup> From(IReadOnlyList<SinkWorkItem> dead) =>
        [.. dead.GroupBy(d => (d.Sink, Kind: KindOf(d.LastError)))
            .Select(g => new FailureGroup(g.Key.Sink, g.Key.Kind, g.Count(), g.Min(d => d.ScheduledAt), g.Max(d => d.ScheduledAt), g.First().EventId))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Sink, StringComparer.Ordinal)];

    /// <summary>The failure's kind: the HTTP status it names, else its first words.</summary>
    internal static string KindOf(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return "unknown";
        }

        var http = error.IndexOf("HTTP ", StringComparison.Ordinal);
        if (http >= 0 && error.Length >= http + 8 && int.TryParse(error.AsSpan(http + 5, 3), out var code))
        {
            return $"HTTP {code}";
        }

        var words = error.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Take(4)).TrimEnd(':', '.', ',');
    }
}
