using System.Text.Json.Serialization;
using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary>One event in <c>events list --json</c>; <see cref="Id"/> is the idempotency key.</summary>
internal sealed record EventJson(
    string Id,
    string Type,
    string Field,
    string WabaId,
    string? PhoneNumberId,
    long DeliveryId,
    int Position,
    DateTimeOffset? OccurredAt,
    DateTimeOffset StoredAt,
    long Sequence,
    bool Test)
{
    public static EventJson From(StoredEvent e) =>
        new(e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.DeliveryId, e.Position, e.OccurredAt, e.StoredAt, e.Sequence, e.IsTest);
}

/// <summary><c>events show --json</c>: the list fields, the item's JSON exactly as received, and its sink attempts.</summary>
internal sealed record EventDetailJson(
    string Id,
    string Type,
    string Field,
    string WabaId,
    string? PhoneNumberId,
    long DeliveryId,
    int Position,
    DateTimeOffset? OccurredAt,
    DateTimeOffset StoredAt,
    long Sequence,
    bool Test,
    [property: JsonConverter(typeof(RawJsonConverter))] ReadOnlyMemory<byte> Raw,
    IReadOnlyList<SinkAttemptJson> Attempts)
{
    public static EventDetailJson From(StoredEvent e, IReadOnlyList<SinkAttempt> attempts) =>
        new(e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.DeliveryId, e.Position, e.OccurredAt, e.StoredAt, e.Sequence, e.IsTest, e.RawJson,
            [.. attempts.Select(SinkAttemptJson.From)]);
}

/// <summary>One attempt to hand an event to a sink.</summary>
internal sealed record SinkAttemptJson(string Sink, int Number, DateTimeOffset StartedAt, double DurationMs, bool Succeeded, int? StatusCode, string? Error, string? ResponseHead)
{
    public static SinkAttemptJson From(SinkAttempt a) =>
        new(a.Sink, a.Number, a.StartedAt, a.Duration.TotalMilliseconds, a.Succeeded, a.StatusCode, a.Error, a.ResponseHead);
}
