using System.Diagnostics.CodeAnalysis;
using System.Text;
using WabaHooks.Payloads;

namespace WabaHooks.Events;

/// <summary>
/// One unit of work split from a delivery: an inbound message, a status, a set of value-level errors, or a change of
/// another field. <see cref="Id"/> is stable across Meta's redeliveries, so a unique index on it drops duplicates.
/// </summary>
public sealed class WabaEvent
{
    private readonly LazyPayload _source;
    private readonly string? _payloadError;
    private object? _payload;

    /// <summary>Creates an event whose properties are all set by the initializer.</summary>
    public WabaEvent()
    {
    }

    /// <summary>Creates an event whose <see cref="Payload"/> is read from <see cref="RawJson"/> when first asked for.</summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Payload is not stored here: its getter reads it from RawJson, which the initializer sets.
    internal WabaEvent(LazyPayload source)
#pragma warning restore CS8618
    {
        _source = source;
        Id = Type = Field = WabaId = "";
    }

    /// <summary>The idempotency key; see <see cref="IdempotencyKeys"/> for the scheme.</summary>
    public required string Id { get; init; }

    /// <summary>The type name in Meta's words, for example <c>messages.text</c> or <c>statuses.read</c>; see <see cref="WabaEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>What part of the delivery the event came from.</summary>
    public required WabaEventKind Kind { get; init; }

    /// <summary>The change's <c>field</c> exactly as sent.</summary>
    public required string Field { get; init; }

    /// <summary><c>entry.id</c>: the WABA ID, or the business portfolio ID for partner events.</summary>
    public required string WabaId { get; init; }

    /// <summary><c>metadata.phone_number_id</c> when the value has one.</summary>
    public string? PhoneNumberId { get; init; }

    /// <summary>The message or status timestamp; otherwise <c>entry.time</c>; otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>The inbox ID of the delivery the event was split from (the first one, if Meta redelivered it).</summary>
    public required long DeliveryId { get; init; }

    /// <summary>
    /// Whether the delivery it came in carried WabaHooks' test mark (<see cref="Signatures.TestMark"/>): synthetic
    /// traffic from <c>wabahooks trigger</c> or <c>verify-endpoint</c>, not from Meta. Sinks get such events only when
    /// they opt in (<see cref="Sinks.EventFilter.IncludeTestEvents"/>).
    /// </summary>
    public bool IsTest { get; init; }

    /// <summary>The event's position within its delivery, from 0.</summary>
    public required int Position { get; init; }

    /// <summary>
    /// The typed item: an <see cref="InboundMessage"/> subclass (<see cref="WabaEventKind.Message"/>), a
    /// <see cref="MessageStatus"/> (<see cref="WabaEventKind.Status"/>), a <see cref="CallEvent"/> subclass
    /// (<see cref="WabaEventKind.Call"/>), a <see cref="CallStatus"/> (<see cref="WabaEventKind.CallStatus"/>), an
    /// <c>IReadOnlyList&lt;WhatsAppError&gt;</c> (<see cref="WabaEventKind.Errors"/>) or a <see cref="FieldValue"/>
    /// subclass (<see cref="WabaEventKind.Change"/>);
    /// an <see cref="UnparsedPayload"/> when the JSON does not fit the model.
    /// </summary>
    /// <remarks>
    /// For messages, statuses, calls, call statuses and value-level errors this is deserialised from <see cref="RawJson"/> on first read, not
    /// during the split: most consumers route on <see cref="Type"/> and <see cref="Id"/> and never need it. So the
    /// delivery's buffer must stay unchanged until then (as for <see cref="RawJson"/> itself). Reading it never throws
    /// for JSON that does not fit the model; concurrent first reads may both deserialise, but every reader gets the
    /// same instance.
    /// </remarks>
    public required object Payload
    {
        get => _payload ?? (_source == LazyPayload.None ? null! : ResolvePayload());
        init => _payload = value;
    }

    /// <summary>
    /// The item's JSON exactly as in the delivery: the message object, the status object, or the change value. A slice
    /// of the delivery's buffer, not a copy; copy it if the event outlives the buffer.
    /// </summary>
    public required ReadOnlyMemory<byte> RawJson { get; init; }

    /// <summary><c>value.metadata</c>, for events from <c>messages</c> and <c>calls</c> changes.</summary>
    public Metadata? Metadata { get; init; }

    /// <summary>
    /// <c>value.contacts</c>, for events from <c>messages</c> and <c>calls</c> changes: who sent the message (or
    /// received the status, or is on the other end of the call).
    /// Deserialised on first use, since most consumers never look; <see langword="null"/> when absent or malformed.
    /// </summary>
    public IReadOnlyList<Contact>? Contacts => ContactsSource?.Value;

    internal ContactsSource? ContactsSource { get; init; }

    /// <summary>
    /// <c>value.metadata</c> exactly as in the delivery, when <see cref="Metadata"/> was read from there: a slice of its
    /// buffer, recorded in the event's <see cref="EventLocator"/> so the event is rebuilt with it.
    /// </summary>
    internal ReadOnlyMemory<byte> MetadataJson { get; init; }

    /// <summary>What <see cref="Payload"/> is read as when it is read lazily; <see cref="LazyPayload.None"/> when it was set.</summary>
    internal LazyPayload PayloadSource => _source;

    /// <summary>
    /// How many events the delivery was split into when this one was stored, for an event rebuilt from its
    /// <see cref="EventLocator"/>; 0 for an event split now.
    /// </summary>
    internal int EventsInDelivery { get; init; }

    /// <summary>Why <see cref="Payload"/> is an <see cref="UnparsedPayload"/>; <see langword="null"/> when typed.</summary>
    /// <remarks>Reads <see cref="Payload"/> first when that is deserialised lazily, since only the attempt tells.</remarks>
    public string? PayloadError
    {
        get => _source == LazyPayload.None ? _payloadError : (Payload as UnparsedPayload)?.Error;
        init => _payloadError = value;
    }

    /// <summary>The raw JSON as a string.</summary>
    public string GetRawText() => Encoding.UTF8.GetString(RawJson.Span);

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Id}";

    private object ResolvePayload()
    {
        var payload = LazyPayloads.Read(_source, RawJson);
        return Interlocked.CompareExchange(ref _payload, payload, null) ?? payload;
    }
}
