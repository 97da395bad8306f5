using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary>An event line of <c>events tail --json</c>.</summary>
internal sealed record TailEventJson(
    string Kind,
    string Id,
    string Type,
    string Field,
    string WabaId,
    string? PhoneNumberId,
    long DeliveryId,
    DateTimeOffset? OccurredAt,
    DateTimeOffset StoredAt,
    bool Test)
{
    public static TailEventJson From(StoredEvent e) =>
        new("event", e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.DeliveryId, e.OccurredAt, e.StoredAt, e.IsTest);
}

/// <summary>An attempt line of <c>events tail --json</c>: one sink's try at one event.</summary>
internal sealed record TailAttemptJson(
    string Kind,
    string EventId,
    string Sink,
    int Number,
    DateTimeOffset StartedAt,
    double DurationMs,
    bool Succeeded,
    int? StatusCode,
    string? Error)
{
    public static TailAttemptJson From(SinkAttempt a) =>
        new("attempt", a.EventId, a.Sink, a.Number, a.StartedAt, a.Duration.TotalMilliseconds, a.Succeeded, a.StatusCode, a.Error);
}

/// <summary>Source-generated JSON for <c>events tail --json</c>: not indented, one object a line, for <c>jq</c>.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(TailEventJson))]
[System.Text.Json.Serialization.JsonSerializable(typeof(TailAttemptJson))]
internal sealed partial class TailJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
