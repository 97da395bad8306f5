namespace WabaHooks.Storage;

/// <summary>
/// The (event, sink) pairs still to be delivered, with every attempt. A pair is scheduled in the same transaction
/// that stores its event, so a crash between storing and delivering loses nothing.
/// </summary>
public interface ISinkWorkStore
{
    /// <summary>
    /// Takes up to <paramref name="limit"/> due items of one sink and leases them until <paramref name="now"/> +
    /// <paramref name="lease"/>, so no other dispatcher takes them meanwhile. Earliest due first, then oldest event: new events go in storage order and
    /// retries as they come due, and a claim reads only the rows it takes, not the whole backlog.
    /// </summary>
    Task<IReadOnlyList<SinkWorkItem>> ClaimDueAsync(string sink, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="limit"/> due items of a sink that receives events in order per conversation: at most
    /// one per conversation, and only the first pending item of its conversation in the order of Meta's timestamp, then
    /// storage. A conversation whose item is leased, or whose first item is waiting for a retry, gives nothing, so a
    /// failing event holds back its own conversation and no other. The conversation stays leased until the item's
    /// outcome is recorded (<see cref="RecordAttemptsAsync"/>) or the lease runs out.
    /// </summary>
    /// <param name="sink">The sink.</param>
    /// <param name="limit">At most this many items (so this many conversations).</param>
    /// <param name="now">The current time.</param>
    /// <param name="lease">How long the item and its conversation stay taken.</param>
    /// <param name="reorderWindow">
    /// How long an item waits after it was scheduled before it may be handed over, so an earlier event Meta delivers a
    /// little later still goes first. An earlier event that arrives after a later one was handed over goes next, marked
    /// <see cref="SinkWorkItem.IsLate"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    Task<IReadOnlyList<SinkWorkItem>> ClaimDueInOrderAsync(string sink, int limit, DateTimeOffset now, TimeSpan lease, TimeSpan reorderWindow, CancellationToken cancellationToken);

    /// <summary>Records an attempt. Success completes the item; a failure schedules <paramref name="retryAt"/>, or dead-letters it when null.</summary>
    Task RecordAttemptAsync(SinkWorkItem item, SinkAttempt attempt, DateTimeOffset? retryAt, CancellationToken cancellationToken) =>
        RecordAttemptsAsync([new SinkOutcome(item, attempt, retryAt)], cancellationToken);

    /// <summary>
    /// Records several attempts in one transaction, each as <see cref="RecordAttemptAsync"/> would: a dispatcher with
    /// many requests in flight pays for one commit, not one per event.
    /// </summary>
    Task RecordAttemptsAsync(IReadOnlyList<SinkOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>Items that ran out of attempts, newest first.</summary>
    Task<IReadOnlyList<SinkWorkItem>> ListDeadLettersAsync(string? sink, int limit, CancellationToken cancellationToken);

    /// <summary>Every attempt for one event, optionally for one sink, oldest first.</summary>
    Task<IReadOnlyList<SinkAttempt>> ListAttemptsAsync(string eventId, string? sink, CancellationToken cancellationToken);

    /// <summary>Makes dead letters due again now, with their attempt count reset. Returns how many.</summary>
    Task<int> RetryDeadLettersAsync(string? sink, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Schedules stored events for a sink again (a replay), whatever their earlier outcome. Returns how many.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Per sink: counts of pending, dead and delivered items, and how its latest attempts went.</summary>
    Task<IReadOnlyList<SinkBacklog>> GetBacklogAsync(CancellationToken cancellationToken);
}

/// <summary>Where an (event, sink) pair stands.</summary>
public enum SinkWorkState
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending = 0,

    /// <summary>Delivered.</summary>
    Done = 1,

    /// <summary>Ran out of attempts.</summary>
    Dead = 2,
}

/// <summary>One (event, sink) pair.</summary>
/// <param name="EventId">The idempotency key.</param>
/// <param name="EventSequence">The event's storage sequence.</param>
/// <param name="DeliveryId">The delivery the event came in.</param>
/// <param name="Sink">The sink's name.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="NextAttemptAt">When it is due.</param>
/// <param name="LastError">The last failure, if any.</param>
/// <param name="ScheduledAt">
/// When the pair was scheduled: when its event was stored, or last replayed or retried from the dead letters. A retry
/// window counts from here.
/// </param>
public sealed record SinkWorkItem(string EventId, long EventSequence, long DeliveryId, string Sink, SinkWorkState State, int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset ScheduledAt)
{
    /// <summary>
    /// The conversation whose lease this item holds, when it was claimed in order
    /// (<see cref="ISinkWorkStore.ClaimDueInOrderAsync"/>); recording its outcome releases the conversation.
    /// </summary>
    public string? ConversationKey { get; init; }

    /// <summary>
    /// Claimed in order, but after a later event of its conversation was already handed over: Meta delivered it past the
    /// reorder window.
    /// </summary>
    public bool IsLate { get; init; }

    /// <summary>
    /// The stored event, as a claim returns it with its work, so dispatch rebuilds it from its delivery's body without a
    /// split (<see cref="Events.StoredEvents.TryRebuild"/>); <see langword="null"/> from other reads, and when the event
    /// is no longer stored.
    /// </summary>
    public ClaimedEvent? Event { get; init; }
}

/// <summary>What a claim returns of a stored event: its columns and where it lies in its delivery.</summary>
/// <param name="Type">The type name in Meta's words.</param>
/// <param name="Field">The change's field.</param>
/// <param name="WabaId"><c>entry.id</c>.</param>
/// <param name="PhoneNumberId"><c>metadata.phone_number_id</c>, when there is one.</param>
/// <param name="OccurredAt">When it happened, when known.</param>
/// <param name="Position">Its position within its delivery.</param>
/// <param name="IsTest">Whether it came in a delivery with the test mark.</param>
/// <param name="Locator">
/// <see cref="NewEvent.Locator"/> as stored; empty for events stored before locators were, which dispatch finds by
/// splitting their delivery.
/// </param>
public sealed record ClaimedEvent(
    string Type,
    string Field,
    string WabaId,
    string? PhoneNumberId,
    DateTimeOffset? OccurredAt,
    int Position,
    bool IsTest,
    ReadOnlyMemory<byte> Locator);

/// <summary>What became of one attempt, for <see cref="ISinkWorkStore.RecordAttemptsAsync"/>.</summary>
/// <param name="Item">The claimed item.</param>
/// <param name="Attempt">The attempt.</param>
/// <param name="RetryAt">For a failure: when to try again, or <see langword="null"/> to dead-letter it. Ignored on success.</param>
public sealed record SinkOutcome(SinkWorkItem Item, SinkAttempt Attempt, DateTimeOffset? RetryAt);

/// <summary>One attempt to hand an event to a sink.</summary>
/// <param name="EventId">The idempotency key.</param>
/// <param name="Sink">The sink's name.</param>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Succeeded">Whether the sink took the event.</param>
/// <param name="StatusCode">The HTTP status, for HTTP sinks.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="ResponseHead">The first bytes of the answer, for HTTP sinks.</param>
public sealed record SinkAttempt(string EventId, string Sink, int Number, DateTimeOffset StartedAt, TimeSpan Duration, bool Succeeded, int? StatusCode, string? Error, string? ResponseHead);

/// <summary>A sink's backlog.</summary>
/// <param name="Sink">The sink's name.</param>
/// <param name="Pending">Items waiting.</param>
/// <param name="Dead">Dead letters.</param>
/// <param name="Done">Items delivered.</param>
public sealed record SinkBacklog(string Sink, long Pending, long Dead, long Done)
{
    /// <summary>When the oldest pending item was scheduled; <see langword="null"/> when none is pending.</summary>
    public DateTimeOffset? OldestPendingSince { get; init; }

    /// <summary>When the latest attempt started.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>When the latest successful attempt started.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>The latest failed attempt, if any.</summary>
    public SinkAttempt? LastFailure { get; init; }
}
