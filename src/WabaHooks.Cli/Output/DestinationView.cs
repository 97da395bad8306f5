using System.Globalization;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary>How <c>destinations list</c> describes a destination and its health.</summary>
internal static class DestinationView
{
    /// <summary>The URL without credentials, query or fragment, which may hold secrets.</summary>
    public static string SafeUrl(Uri? url) => url switch
    {
        null => "-",
        { IsAbsoluteUri: true } => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
        _ => "(not an absolute URL)",
    };

    public static string Filter(DestinationOptions d)
    {
        var parts = new List<string>();
        Add("fields", d.Fields);
        Add("types", d.Types);
        Add("wabas", d.WabaIds);
        Add("phones", d.PhoneNumberIds);
        return parts.Count == 0 ? "all events" : string.Join("; ", parts);

        void Add(string label, ICollection<string> values)
        {
            if (values.Count > 0)
            {
                parts.Add($"{label} {string.Join(",", values)}");
            }
        }
    }

    /// <summary>ok, failing (with the last error), waiting, idle — and how old the backlog is.</summary>
    public static string Health(SinkBacklog? backlog, DateTimeOffset now)
    {
        if (backlog is null)
        {
            return "idle: nothing sent yet";
        }

        var failing = backlog.LastFailure is { } failure && (backlog.LastSuccessAt is null || failure.StartedAt > backlog.LastSuccessAt);
        var state = failing
            ? $"failing: {backlog.LastFailure!.Error ?? "failed"} (at {Timestamps.Utc(backlog.LastFailure.StartedAt)})"
            : backlog.LastAttemptAt is null ? (backlog.Pending > 0 ? "waiting" : "idle") : "ok";
        if (backlog.OldestPendingSince is { } oldest && backlog.Pending > 0)
        {
            state += $"; oldest pending {Age(now - oldest)}";
        }

        return state;
    }

    public static string Age(TimeSpan age) => age switch
    {
        { TotalSeconds: < 90 } => $"{Math.Max(0, age.TotalSeconds):0}s",
        { TotalMinutes: < 90 } => $"{age.TotalMinutes:0}m",
        { TotalHours: < 48 } => $"{age.TotalHours:0}h",
        _ => $"{age.TotalDays:0}d",
    };

    public static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "0";
}
