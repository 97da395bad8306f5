namespace WabaHooks.Storage;

/// <summary>What the processor made of a run of consecutive deliveries.</summary>
/// <param name="Deliveries">Each delivery's outcome, in inbox order.</param>
public sealed record ProcessedBatch(IReadOnlyList<ProcessedDelivery> Deliveries);

/// <summary>One delivery's events, or why it did not parse.</summary>
/// <param name="DeliveryId">The inbox id.</param>
/// <param name="ParseError">Why the delivery could not be split; <see langword="null"/> when it was.</param>
/// <param name="Events">The events split from it, in order.</param>
public sealed record ProcessedDelivery(long DeliveryId, string? ParseError, IReadOnlyList<NewEvent> Events);

/// <summary>An event to store.</summary>
/// <param name="Id">The idempotency key.</param>
/// <param name="Type">The type name in Meta's words (<c>messages.text</c>, <c>statuses.read</c>, <c>account_update</c>, …).</param>
/// <param name="Field">The change's field.</param>
/// <param name="WabaId"><c>entry.id</c>.</param>
/// <param name="PhoneNumberId"><c>metadata.phone_number_id</c>, when there is one.</param>
/// <param name="OccurredAt">When it happened, when known.</param>
/// <param name="Position">Its position within the delivery.</param>
/// <param name="RawJson">The item's JSON exactly as in the delivery.</param>
/// <param name="Status">The status change it carries, for status events.</param>
/// <param name="Sinks">The sinks (handlers, destinations) that must receive it.</param>
/// <param name="IsTest">Whether it came in a delivery with the test mark (<see cref="Events.WabaEvent.IsTest"/>).</param>
public sealed record NewEvent(
    string Id,
    string Type,
    string Field,
    string WabaId,
    string? PhoneNumberId,
    DateTimeOffset? OccurredAt,
    int Position,
    ReadOnlyMemory<byte> RawJson,
    StatusChange? Status,
    IReadOnlyList<string> Sinks,
    bool IsTest = false)
{
    /// <summary>
    /// The conversation it belongs to (<see cref="Events.ConversationKeys"/>), stored with the event so a replay to an
    /// ordered sink needs no parse; null when not computed.
    /// </summary>
    public string? ConversationKey { get; init; }

    /// <summary>
    /// The sinks among <see cref="Sinks"/> that take events in order per conversation: their work is stored with
    /// <see cref="ConversationKey"/> and the ordering time (<see cref="OccurredAt"/>, or the storing time when unknown).
    /// </summary>
    public IReadOnlyList<string> OrderedSinks { get; init; } = [];

    /// <summary>
    /// Where the event lies in its delivery's body and what it needs to be rebuilt from there (an opaque encoding, see
    /// <see cref="Events.StoredEvents"/>), stored with the event and returned with its claimed work
    /// (<see cref="ClaimedEvent.Locator"/>), so dispatch never splits the delivery again; empty when not recorded.
    /// </summary>
    public ReadOnlyMemory<byte> Locator { get; init; }
}

/// <summary>A status event's effect on the message status view.</summary>
/// <param name="Wamid">The outbound message's id.</param>
/// <param name="Status">The status as Meta sent it.</param>
/// <param name="RecipientId">Who it is about: the user, or the group member for group sends.</param>
/// <param name="Timestamp">The status timestamp.</param>
public sealed record StatusChange(string Wamid, string Status, string? RecipientId, DateTimeOffset? Timestamp);

/// <summary>What a commit did.</summary>
/// <param name="Stored">Events stored.</param>
/// <param name="Duplicates">Events dropped because their idempotency key was already stored.</param>
public sealed record ProcessingResult(int Stored, int Duplicates);
