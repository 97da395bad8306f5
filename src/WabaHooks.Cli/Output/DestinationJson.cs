using WabaHooks.Hosting.Destinations;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary>One destination in <c>destinations list --json</c>: its settings (never its secret) and its health.</summary>
internal sealed record DestinationJson(
    string Name,
    string Format,
    string Url,
    IReadOnlyList<string> Fields,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> WabaIds,
    IReadOnlyList<string> PhoneNumberIds,
    long Pending,
    long Dead,
    long Done,
    DateTimeOffset? OldestPendingSince,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastSuccessAt,
    SinkAttemptJson? LastFailure,
    string Health)
{
    public static DestinationJson From(DestinationOptions d, SinkBacklog? b, DateTimeOffset now) => new(
        d.Name,
        d.Format.ToString().ToLowerInvariant(),
        DestinationView.SafeUrl(d.Url),
        [.. d.Fields],
        [.. d.Types],
        [.. d.WabaIds],
        [.. d.PhoneNumberIds],
        b?.Pending ?? 0,
        b?.Dead ?? 0,
        b?.Done ?? 0,
        b?.OldestPendingSince,
        b?.LastAttemptAt,
        b?.LastSuccessAt,
        b?.LastFailure is { } failure ? SinkAttemptJson.From(failure) : null,
        DestinationView.Health(b, now));
}

/// <summary>One dead letter in <c>dead-letters list --json</c>.</summary>
internal sealed record DeadLetterJson(string Sink, string EventId, long DeliveryId, int Attempts, DateTimeOffset LastAttemptAt, string? LastError)
{
    public static DeadLetterJson From(SinkWorkItem item) => new(item.Sink, item.EventId, item.DeliveryId, item.Attempts, item.NextAttemptAt, item.LastError);
}
