namespace WabaHooks.Storage;

/// <summary>
/// What an operator's tools need from the store beyond the pipeline: counting and following what is stored, one pair
/// retried, destinations paused, and the audit log of what operators did. SQLite and PostgreSQL both implement it;
/// <c>WabaHooksQueries</c> and <c>WabaHooksOperations</c> in WabaHooks.Hosting are built on it.
/// </summary>
public interface IAdminStore
{
    /// <summary>How many events <paramref name="query"/> selects, ignoring its <see cref="EventQuery.Limit"/>.</summary>
    Task<long> CountEventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>Attempts, newest first (oldest first with <see cref="AttemptQuery.AfterSequence"/>), filtered by <paramref name="query"/>.</summary>
    Task<IReadOnlyList<StoredAttempt>> QueryAttemptsAsync(AttemptQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Dead letters, newest first: by when each ran out of attempts, then by event sequence and sink, all descending.
    /// That key does not change while a pair stays dead, so a page read with <see cref="DeadLetterQuery.Before"/> never
    /// repeats or skips one, whatever dies meanwhile.
    /// </summary>
    Task<IReadOnlyList<StoredDeadLetter>> QueryDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    /// <summary>The (event, sink) pairs of these events, in any state, ordered by event then sink.</summary>
    Task<IReadOnlyList<SinkWorkItem>> ListSinkWorkAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken);

    /// <summary>
    /// A retry: makes the (event, sink) pairs that are not delivered due now, with their attempt count reset — dead
    /// letters and pairs waiting for a later retry alike. A delivered pair is left alone (sending it again is a replay,
    /// <see cref="ISinkWorkStore.EnqueueAsync"/>).
    /// </summary>
    /// <returns>How many pairs were made due.</returns>
    Task<int> RetryAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Pauses a sink (no pair of it is claimed while paused, in any instance sharing the store) or resumes it.
    /// </summary>
    /// <returns>Whether this changed anything (pausing a paused sink does not).</returns>
    Task<bool> SetSinkPausedAsync(string sink, bool paused, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The paused sinks, with when each was paused.</summary>
    Task<IReadOnlyList<PausedSink>> ListPausedSinksAsync(CancellationToken cancellationToken);

    /// <summary>Writes one entry to the audit log and returns its id.</summary>
    Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The audit log, newest first.</summary>
    /// <param name="limit">At most this many.</param>
    /// <param name="beforeId">Only ids below this one, for paging; <see langword="null"/> for the newest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, long? beforeId, CancellationToken cancellationToken);
}

/// <summary>Filters for listing attempts; a null filter matches everything.</summary>
public sealed record AttemptQuery
{
    /// <summary>Only this event's attempts.</summary>
    public string? EventId { get; init; }

    /// <summary>Only this sink's attempts.</summary>
    public string? Sink { get; init; }

    /// <summary>Only successes (<see langword="true"/>) or failures (<see langword="false"/>).</summary>
    public bool? Succeeded { get; init; }

    /// <summary>Only attempts answered with this HTTP status.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Only attempts started at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only attempts started before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only sequences below this one, for paging.</summary>
    public long? BeforeSequence { get; init; }

    /// <summary>Only sequences above this one; the list is then oldest first.</summary>
    public long? AfterSequence { get; init; }

    /// <summary>At most this many. Default 50.</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>Filters for listing dead letters; a null filter matches everything.</summary>
public sealed record DeadLetterQuery
{
    /// <summary>Only this sink's dead letters.</summary>
    public string? Sink { get; init; }

    /// <summary>Only dead letters after this one in the list's order (older ones), for paging.</summary>
    public DeadLetterPosition? Before { get; init; }

    /// <summary>At most this many. Default 50.</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>Where a dead letter stands in the list: the key it is ordered by, descending.</summary>
/// <param name="DeadAt">When it ran out of attempts (millisecond precision, as stored).</param>
/// <param name="EventSequence">Its event's sequence.</param>
/// <param name="Sink">Its sink.</param>
public readonly record struct DeadLetterPosition(DateTimeOffset DeadAt, long EventSequence, string Sink);

/// <summary>A dead letter as stored, with when it ran out of attempts.</summary>
/// <param name="DeadAt">When its last attempt failed and no retry was left.</param>
/// <param name="Item">The (event, sink) pair.</param>
public sealed record StoredDeadLetter(DateTimeOffset DeadAt, SinkWorkItem Item)
{
    /// <summary>Its place in the list, to page on from it.</summary>
    public DeadLetterPosition Position => new(DeadAt, Item.EventSequence, Item.Sink);
}

/// <summary>An attempt as stored, with its place in storage order.</summary>
/// <param name="Sequence">Ascending in storage order; for paging and following.</param>
/// <param name="Attempt">The attempt.</param>
public sealed record StoredAttempt(long Sequence, SinkAttempt Attempt);

/// <summary>A paused sink.</summary>
/// <param name="Sink">The sink's name.</param>
/// <param name="PausedAt">When it was paused.</param>
public sealed record PausedSink(string Sink, DateTimeOffset PausedAt);

/// <summary>One operator action, as the audit log keeps it.</summary>
/// <param name="Id">Assigned by the store; 0 when appending.</param>
/// <param name="At">When it was done.</param>
/// <param name="Actor">Who did it: the role and where from (<c>operator@127.0.0.1</c>), or the user's name.</param>
/// <param name="Action">What, in one word: <c>retry</c>, <c>replay</c>, <c>bulk-retry</c>, <c>bulk-replay</c>, <c>pause</c>, <c>resume</c>, …</param>
/// <param name="Target">What it was done to: a destination, an event id, a filter.</param>
/// <param name="Count">How many pairs or events it touched.</param>
/// <param name="Detail">Anything else worth keeping (the filter, the outcome).</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Target, long Count, string? Detail);
