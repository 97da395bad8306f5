namespace WabaHooks.Dashboard.Views;

/// <summary>One event with where it came from and every attempt to hand it on.</summary>
/// <param name="Event">The event as listed.</param>
/// <param name="OccurredAt">When it happened, by Meta's timestamp.</param>
/// <param name="Json">The event's JSON exactly as it stood in the delivery.</param>
/// <param name="Delivery">The delivery it came in, when still stored.</param>
/// <param name="Sinks">Per destination and handler: where it stands and every attempt.</param>
public sealed record EventDetailView(EventRow Event, DateTimeOffset? OccurredAt, string Json, DeliveryInfo? Delivery, IReadOnlyList<SinkDetail> Sinks);

/// <summary>A delivery as Meta posted it.</summary>
/// <param name="Id">The inbox id.</param>
/// <param name="ReceivedAt">When it was received and committed.</param>
/// <param name="AppId">Which configured app's secret verified its signature (the name, never the secret).</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Flags">Its marks (test, unparsed, …), as words.</param>
/// <param name="ParseError">Why it could not be split into events, when it could not.</param>
/// <param name="Events">How many events it added.</param>
/// <param name="Duplicates">How many of its events were already stored (Meta's redeliveries).</param>
public sealed record DeliveryInfo(long Id, DateTimeOffset ReceivedAt, string AppId, int Length, string Flags, string? ParseError, int? Events, int? Duplicates);

/// <summary>Where an event stands with one sink, and every attempt.</summary>
/// <param name="Sink">The sink's name.</param>
/// <param name="Outcome">Its state.</param>
/// <param name="NextAttemptAt">When it is tried next, while pending or failing.</param>
/// <param name="LastError">The last failure.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
public sealed record SinkDetail(string Sink, Outcome Outcome, DateTimeOffset? NextAttemptAt, string? LastError, IReadOnlyList<AttemptRow> Attempts);

/// <summary>One attempt.</summary>
/// <param name="Number">1 for the first.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Succeeded">Whether the sink took the event.</param>
/// <param name="StatusCode">The HTTP status, for destinations.</param>
/// <param name="Error">Why it failed (the error kind for network failures).</param>
/// <param name="ResponseHead">The first bytes of the answer.</param>
public sealed record AttemptRow(int Number, DateTimeOffset StartedAt, TimeSpan Duration, bool Succeeded, int? StatusCode, string? Error, string? ResponseHead);

/// <summary>A delivery with its body and the events it was split into.</summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Body">Its body as text (the exact bytes are one link away).</param>
/// <param name="Events">The events it gave, in order.</param>
public sealed record DeliveryDetailView(DeliveryInfo Delivery, string Body, IReadOnlyList<EventRow> Events);
