namespace WabaHooks.Storage;

/// <summary>An event as stored.</summary>
/// <param name="Sequence">Ascending in storage order; for paging.</param>
/// <param name="Id">The idempotency key.</param>
/// <param name="Type">The type name in Meta's words.</param>
/// <param name="Field">The change's field.</param>
/// <param name="WabaId"><c>entry.id</c>.</param>
/// <param name="PhoneNumberId"><c>metadata.phone_number_id</c>, when there is one.</param>
/// <param name="OccurredAt">When it happened, when known.</param>
/// <param name="DeliveryId">The first delivery it came in.</param>
/// <param name="Position">Its position within that delivery.</param>
/// <param name="StoredAt">When it was stored.</param>
/// <param name="RawJson">The item's JSON exactly as in the delivery.</param>
/// <param name="IsTest">Whether it came in a delivery with the test mark: synthetic traffic, not from Meta.</param>
public sealed record StoredEvent(
    long Sequence,
    string Id,
    string Type,
    string Field,
    string WabaId,
    string? PhoneNumberId,
    DateTimeOffset? OccurredAt,
    long DeliveryId,
    int Position,
    DateTimeOffset StoredAt,
    ReadOnlyMemory<byte> RawJson,
    bool IsTest = false);

/// <summary>Filters for listing events; a null filter matches everything.</summary>
public sealed record EventQuery
{
    /// <summary>Only this field.</summary>
    public string? Field { get; init; }

    /// <summary>
    /// Only this type name, or the types under a prefix ending in <c>.*</c> (<c>statuses.*</c>), as in a destination's
    /// filter (<see cref="Sinks.EventFilter.TypeMatches"/>).
    /// </summary>
    public string? Type { get; init; }

    /// <summary>Only test events (<see langword="true"/>), only real ones (<see langword="false"/>), or both (<see langword="null"/>).</summary>
    public bool? Test { get; init; }

    /// <summary>Only this WABA (<c>entry.id</c>).</summary>
    public string? WabaId { get; init; }

    /// <summary>Only this phone number.</summary>
    public string? PhoneNumberId { get; init; }

    /// <summary>Only events stored at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events stored before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only sequences below this one, for paging.</summary>
    public long? BeforeSequence { get; init; }

    /// <summary>
    /// Only sequences above this one, for following what is stored next. When set, the list is oldest first, so a
    /// reader that asks again from the last sequence it saw misses nothing.
    /// </summary>
    public long? AfterSequence { get; init; }

    /// <summary>Only events scheduled for this sink (destination or handler), by name.</summary>
    public string? Destination { get; init; }

    /// <summary>
    /// Only events with a sink in this state (of <see cref="Destination"/> when given, else of any sink); see
    /// <see cref="EventOutcome"/>.
    /// </summary>
    public EventOutcome? Outcome { get; init; }

    /// <summary>Only events with an attempt answered with this HTTP status (by <see cref="Destination"/> when given).</summary>
    public int? HttpStatus { get; init; }

    /// <summary>
    /// Only events that matched no sink (<see langword="true"/>): nothing was scheduled for them, no destination and no
    /// handler. <see langword="false"/>: only events with at least one sink.
    /// </summary>
    public bool? Unrouted { get; init; }

    /// <summary>
    /// A search box: the event whose idempotency key is exactly this, the events of the delivery with this id, or the
    /// events whose JSON contains this phrase (byte for byte, case-sensitive), which finds a wamid, a phone number, a
    /// template name or a word of a message.
    /// </summary>
    public string? Search { get; init; }

    /// <summary>Only these events, by id (idempotency key); an empty list selects none. For narrowing attempts to the events a filter selects.</summary>
    public IReadOnlyList<string>? EventIds { get; init; }

    /// <summary>At most this many. Default 50.</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>Where an event's sink work stands, as a filter.</summary>
public enum EventOutcome
{
    /// <summary>The sink took the event.</summary>
    Delivered = 0,

    /// <summary>Waiting for its first attempt, or for a retry after failures.</summary>
    Pending = 1,

    /// <summary>At least one attempt failed and the pair is not delivered yet (retrying, or dead).</summary>
    Failed = 2,

    /// <summary>Ran out of attempts: a dead letter.</summary>
    Dead = 3,
}

/// <summary>What one delivery turned into.</summary>
/// <param name="DeliveryId">The inbox id.</param>
/// <param name="Events">Events it added.</param>
/// <param name="Duplicates">Events in it that were already stored.</param>
/// <param name="ParseError">Why it did not parse, if it did not.</param>
/// <param name="ProcessedAt">When the processor committed it.</param>
public sealed record DeliveryOutcome(long DeliveryId, int Events, int Duplicates, string? ParseError, DateTimeOffset ProcessedAt);
