using System.Text.Json;
using WabaHooks.Hosting.Admin;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Admin;

// The admin API's JSON shapes: explicit records, so the wire format and the OpenAPI document do not move when a stored
// type gains a member. Times are UTC ISO 8601; durations are milliseconds.
#pragma warning disable CS1591 // Members are the documented JSON fields of docs/admin-api.md.

/// <summary>A page of rows and the cursor of the next (older) page, <see langword="null"/> on the last.</summary>
public sealed record PageJson<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>Where one (event, sink) pair stands: <c>delivered</c>, <c>pending</c>, <c>failing</c> (retrying after failures) or <c>dead</c>.</summary>
public sealed record SinkStateJson(string Sink, string State, int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset ScheduledAt)
{
    public static SinkStateJson From(SinkWorkItem w) => new(w.Sink, StateWord(w), w.Attempts, w.NextAttemptAt, w.LastError, w.ScheduledAt);

    public static string StateWord(SinkWorkItem w) => w.State switch
    {
        SinkWorkState.Done => "delivered",
        SinkWorkState.Dead => "dead",
        _ when w.Attempts > 0 => "failing",
        _ => "pending",
    };
}

/// <summary>An event in a list.</summary>
public sealed record EventJson(
    long Sequence, string Id, string Type, string Field, string WabaId, string? PhoneNumberId, DateTimeOffset? OccurredAt,
    long DeliveryId, int Position, DateTimeOffset StoredAt, bool Test, IReadOnlyList<SinkStateJson> Sinks)
{
    public static EventJson From(EventRow row) => From(row.Event, row.Sinks);

    public static EventJson From(StoredEvent e, IReadOnlyList<SinkWorkItem> sinks) =>
        new(e.Sequence, e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.DeliveryId, e.Position, e.StoredAt, e.IsTest, [.. sinks.Select(SinkStateJson.From)]);
}

/// <summary>One event with its payload, delivery and attempts.</summary>
public sealed record EventDetailJson(EventJson Event, JsonElement? Payload, string? PayloadText, DeliveryJson? Delivery, IReadOnlyList<AttemptJson> Attempts)
{
    public static EventDetailJson From(EventDetail d)
    {
        var (payload, text) = AdminJsonText.Parse(d.Event.RawJson);
        return new(EventJson.From(d.Event, d.Sinks), payload, text, d.Delivery is null ? null : DeliveryJson.From(d.Delivery, null), [.. d.Attempts.Select(a => AttemptJson.From(a, null))]);
    }
}

/// <summary>One attempt to hand an event to a sink.</summary>
public sealed record AttemptJson(long? Sequence, string EventId, string Sink, int Number, DateTimeOffset StartedAt, double DurationMs, bool Succeeded, int? StatusCode, string? Error, string? ResponseHead)
{
    public static AttemptJson From(SinkAttempt a, long? sequence) =>
        new(sequence, a.EventId, a.Sink, a.Number, a.StartedAt, a.Duration.TotalMilliseconds, a.Succeeded, a.StatusCode, a.Error, a.ResponseHead);

    public static AttemptJson From(StoredAttempt a) => From(a.Attempt, a.Sequence);
}

/// <summary>A delivery (what Meta POSTed) and what the processor made of it; <c>processedAt</c> is null while it waits.</summary>
public sealed record DeliveryJson(
    long Id, DateTimeOffset ReceivedAt, string AppId, int Length, string Flags, string? TraceParent,
    DateTimeOffset? ProcessedAt, int? Events, int? Duplicates, string? ParseError)
{
    public static DeliveryJson From(DeliverySummary s, DeliveryOutcome? o) =>
        new(s.Id, s.ReceivedAt, s.AppId, s.Length, s.Flags.ToString(), s.TraceParent, o?.ProcessedAt, o?.Events, o?.Duplicates, o?.ParseError);
}

/// <summary>One delivery with its exact body (as text when it is UTF-8 JSON) and its events.</summary>
public sealed record DeliveryDetailJson(DeliveryJson Delivery, JsonElement? Body, string? BodyText, IReadOnlyList<EventJson> Events)
{
    public static DeliveryDetailJson From(DeliveryDetail d)
    {
        var (body, text) = AdminJsonText.Parse(d.Delivery.Body);
        return new(DeliveryJson.From(d.Delivery.Summary, d.Outcome), body, text, [.. d.Events.Select(EventJson.From)]);
    }
}

/// <summary>How a destination stands.</summary>
public sealed record DestinationJson(
    string Name, bool Registered, bool Paused, string? Circuit, long Pending, long Dead, long Delivered,
    DateTimeOffset? OldestPendingSince, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSuccessAt, AttemptJson? LastFailure,
    double WindowMinutes, int Attempts, double? SuccessRate, double? LatencyP50Ms, double? LatencyP95Ms)
{
    public static DestinationJson From(DestinationSummary d) => new(
        d.Name, d.Registered, d.Paused, d.Circuit, d.Backlog.Pending, d.Backlog.Dead, d.Backlog.Done,
        d.Backlog.OldestPendingSince, d.Backlog.LastAttemptAt, d.Backlog.LastSuccessAt,
        d.Backlog.LastFailure is { } f ? AttemptJson.From(f, null) : null,
        d.Window.TotalMinutes, d.Attempts, d.SuccessRate, d.LatencyP50?.TotalMilliseconds, d.LatencyP95?.TotalMilliseconds);
}

/// <summary>A dead letter: an (event, sink) pair that ran out of attempts.</summary>
public sealed record DeadLetterJson(string EventId, long EventSequence, long DeliveryId, string Sink, int Attempts, string? LastError, DateTimeOffset ScheduledAt, DateTimeOffset DeadAt)
{
    public static DeadLetterJson From(StoredDeadLetter d) =>
        new(d.Item.EventId, d.Item.EventSequence, d.Item.DeliveryId, d.Item.Sink, d.Item.Attempts, d.Item.LastError, d.Item.ScheduledAt, d.DeadAt);
}

/// <summary>A message's status timeline by wamid.</summary>
public sealed record MessageJson(string Wamid, string Current, string? RecipientId, DateTimeOffset? UpdatedAt, IReadOnlyList<StatusJson> Timeline)
{
    public static MessageJson From(MessageStatusHistory h) =>
        new(h.Wamid, h.Current, h.RecipientId, h.UpdatedAt, [.. h.Timeline.Select(t => new StatusJson(t.EventId, t.Status, t.Timestamp, t.RecipientId, t.DeliveryId, t.Applied))]);
}

/// <summary>One status received for a message.</summary>
public sealed record StatusJson(string EventId, string Status, DateTimeOffset? Timestamp, string? RecipientId, long DeliveryId, bool Applied);

/// <summary>One operator action.</summary>
public sealed record AuditJson(long Id, DateTimeOffset At, string Actor, string Action, string? Target, long Count, string? Detail)
{
    public static AuditJson From(AuditEntry e) => new(e.Id, e.At, e.Actor, e.Action, e.Target, e.Count, e.Detail);
}

/// <summary>A bulk job and its progress.</summary>
public sealed record JobJson(
    string Id, string Action, string Destination, string Filter, long Total, long Processed, long Affected, string State,
    string Actor, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Error)
{
    public static JobJson From(BulkJob j) => new(
        j.Id, j.Request.Action == BulkAction.Retry ? "retry" : "replay", j.Request.Destination, WabaHooksOperations.Describe(j.Request.Filter),
        j.Total, j.Processed, j.Affected, j.State.ToString().ToLowerInvariant(), j.Actor, j.StartedAt, j.FinishedAt, j.Error);
}

/// <summary>A count: how many events a filter selects, or how many pairs an action touched.</summary>
public sealed record CountJson(long Count);

/// <summary>A destination's answer to a test: whether it took it, its HTTP status (none for a broker), latency, and the start of the answer or the failure.</summary>
public sealed record DestinationTestJson(bool Succeeded, int? StatusCode, double LatencyMs, string? Error, string? Answer, string Summary);

/// <summary>The outcome of a replay.</summary>
public sealed record ReplayJson(int Queued, int Skipped);

/// <summary>Who the caller is to the admin surface.</summary>
public sealed record MeJson(string? Role, bool CanAct, string Access);

/// <summary>The antiforgery token a cookie-authenticated client sends with each state-changing call, in the header named here.</summary>
public sealed record AntiforgeryJson(string HeaderName, string Token);

/// <summary>Body of <c>POST /api/retry</c>: retry one (event, destination) pair.</summary>
public sealed record RetryRequestJson(string EventId, string Destination);

/// <summary>Body of <c>POST /api/replay</c>: send these events to the destination again, with their idempotency keys.</summary>
public sealed record ReplayRequestJson(string Destination, IReadOnlyList<string> EventIds);

/// <summary>Body of <c>POST /api/bulk/count</c> and <c>POST /api/bulk</c>: an action over the events a filter selects.</summary>
public sealed record BulkRequestJson(string Action, string Destination, FilterJson? Filter);

/// <summary>An event filter in a request body: the same fields as the query string of <c>GET /api/events</c>.</summary>
public sealed record FilterJson(
    string? Field = null, string? Type = null, string? Waba = null, string? Phone = null, string? Destination = null,
    string? Outcome = null, int? Status = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, string? Q = null,
    bool? Test = null, bool? Unrouted = null);

/// <summary>A live-stream item: <c>kind</c> is <c>event</c> or <c>attempt</c>.</summary>
public sealed record StreamItemJson(string Kind, EventJson? Event, AttemptJson? Attempt);
#pragma warning restore CS1591

/// <summary>Stored JSON bytes as a JSON element when they parse, else as text (or nothing when they are not UTF-8).</summary>
internal static class AdminJsonText
{
    public static (JsonElement? Json, string? Text) Parse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            try
            {
                return (null, new System.Text.UTF8Encoding(false, true).GetString(bytes.Span));
            }
            catch (System.Text.DecoderFallbackException)
            {
                return (null, null);
            }
        }
    }
}
