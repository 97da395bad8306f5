using System.Globalization;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Admin;

/// <summary>
/// The one query layer over the store that the admin API, the dashboard and the CLI's store-reading commands share:
/// every filter is an <see cref="EventQuery"/> (or <see cref="AttemptQuery"/>) applied by the store itself, never
/// re-implemented by a reader. Lists are newest first with keyset cursors, stable while new rows arrive.
/// </summary>
public sealed class WabaHooksQueries
{
    /// <summary>The most attempts per sink read to compute success rate and latency percentiles.</summary>
    public const int StatsSample = 2000;

    /// <summary>The most rows a page holds.</summary>
    public const int MaxPageSize = 500;

    private readonly IWabaHooksStore _store;
    private readonly IAdminStore _admin;
    private readonly TimeProvider _time;
    private readonly SinkRouter? _router;
    private readonly DestinationStatusBoard? _board;

    /// <summary>Creates the query layer over a store (in the gateway, from dependency injection; in a tool, directly).</summary>
    /// <param name="store">The store.</param>
    /// <param name="admin">The same store's admin side.</param>
    /// <param name="time">The clock for "now" in the latency window.</param>
    /// <param name="router">The sinks registered in this process, when there are any (a tool beside the gateway has none).</param>
    public WabaHooksQueries(IWabaHooksStore store, IAdminStore admin, TimeProvider time, SinkRouter? router = null)
        : this(store, admin, time, router, null)
    {
    }

    internal WabaHooksQueries(IWabaHooksStore store, IAdminStore admin, TimeProvider time, SinkRouter? router, DestinationStatusBoard? board)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _admin = admin;
        _time = time;
        _router = router;
        _board = board;
    }

    /// <summary>The store's admin side, for <see cref="WabaHooksOperations"/>.</summary>
    internal IAdminStore Admin => _admin;

    /// <summary>The store.</summary>
    internal IWabaHooksStore Store => _store;

    /// <summary>The sinks registered in this process, or none.</summary>
    public IReadOnlyList<SinkRegistration> RegisteredSinks => _router?.Sinks ?? [];

    /// <summary>A page of events selected by <paramref name="query"/>, each with its sinks' states.</summary>
    /// <param name="query">Filters; its <see cref="EventQuery.BeforeSequence"/> is the cursor, its limit at most <see cref="MaxPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<Page<EventRow>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limited = query with { Limit = Math.Clamp(query.Limit, 1, MaxPageSize) };
        var events = await _store.ListEventsAsync(limited, cancellationToken).ConfigureAwait(false);
        var rows = await WithSinksAsync(events, cancellationToken).ConfigureAwait(false);
        // Following (AfterSequence) reads oldest first and has no "next older page".
        var next = query.AfterSequence is null && events.Count == limited.Limit ? Cursor(events[^1].Sequence) : null;
        return new(rows, next);
    }

    /// <summary>How many events <paramref name="query"/> selects.</summary>
    public Task<long> CountEventsAsync(EventQuery query, CancellationToken cancellationToken) => _admin.CountEventsAsync(query, cancellationToken);

    /// <summary>The events stored after <paramref name="afterSequence"/> that <paramref name="filter"/> selects, oldest first: what a live view or a tail shows next.</summary>
    public async Task<IReadOnlyList<EventRow>> FollowEventsAsync(EventQuery filter, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var events = await _store.ListEventsAsync(filter with { AfterSequence = afterSequence, BeforeSequence = null, Limit = Math.Clamp(limit, 1, MaxPageSize) }, cancellationToken).ConfigureAwait(false);
        return await WithSinksAsync(events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sequence of the newest event stored, 0 when there is none: where a follower starts.</summary>
    public async Task<long> NewestEventSequenceAsync(CancellationToken cancellationToken)
    {
        var newest = await _store.ListEventsAsync(new EventQuery { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return newest.Count == 0 ? 0 : newest[0].Sequence;
    }

    /// <summary>The sequence of the newest attempt stored, 0 when there is none.</summary>
    public async Task<long> NewestAttemptSequenceAsync(CancellationToken cancellationToken)
    {
        var newest = await _admin.QueryAttemptsAsync(new AttemptQuery { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return newest.Count == 0 ? 0 : newest[0].Sequence;
    }

    /// <summary>One event with its delivery, sinks and attempts, or <see langword="null"/>.</summary>
    public async Task<EventDetail?> GetEventAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var e = await _store.GetEventAsync(id, cancellationToken).ConfigureAwait(false);
        if (e is null)
        {
            return null;
        }

        var delivery = await _store.GetAsync(e.DeliveryId, cancellationToken).ConfigureAwait(false);
        var sinks = await _admin.ListSinkWorkAsync([id], cancellationToken).ConfigureAwait(false);
        var attempts = await _store.ListAttemptsAsync(id, null, cancellationToken).ConfigureAwait(false);
        return new(e, delivery?.Summary, sinks, attempts);
    }

    /// <summary>A page of attempts selected by <paramref name="query"/>.</summary>
    public async Task<Page<StoredAttempt>> ListAttemptsAsync(AttemptQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limited = query with { Limit = Math.Clamp(query.Limit, 1, MaxPageSize) };
        var attempts = await _admin.QueryAttemptsAsync(limited, cancellationToken).ConfigureAwait(false);
        var next = query.AfterSequence is null && attempts.Count == limited.Limit ? Cursor(attempts[^1].Sequence) : null;
        return new(attempts, next);
    }

    /// <summary>A page of deliveries, newest first, each with what the processor made of it.</summary>
    /// <param name="limit">At most this many (capped at <see cref="MaxPageSize"/>).</param>
    /// <param name="cursor">The <see cref="Page{T}.Next"/> of the previous page, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<Page<ReviewedDelivery>> ListDeliveriesAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var page = await new InboxReview(_store, _store).ListAsync(limit, ParseCursor(cursor), cancellationToken).ConfigureAwait(false);
        return new(page, page.Count == limit ? Cursor(page[^1].Summary.Id) : null);
    }

    /// <summary>One delivery with its body, its outcome and the events it gave, or <see langword="null"/>.</summary>
    public async Task<DeliveryDetail?> GetDeliveryAsync(long id, CancellationToken cancellationToken)
    {
        var delivery = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (delivery is null)
        {
            return null;
        }

        var outcomes = await _store.ListDeliveryOutcomesAsync(1, id + 1, cancellationToken).ConfigureAwait(false);
        var outcome = outcomes.Count == 1 && outcomes[0].DeliveryId == id ? outcomes[0] : null;
        var events = await ListEventsAsync(new EventQuery { Search = id.ToString(CultureInfo.InvariantCulture), Limit = MaxPageSize }, cancellationToken).ConfigureAwait(false);
        return new DeliveryDetail(delivery, outcome, [.. events.Items.Where(r => r.Event.DeliveryId == id).OrderBy(r => r.Event.Position)]);
    }

    /// <summary>Every sink known to this process or to the store, with backlog, pause, circuit, success rate and latency over <paramref name="window"/>.</summary>
    public async Task<IReadOnlyList<DestinationSummary>> ListDestinationsAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var backlog = (await _store.GetBacklogAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(b => b.Sink, StringComparer.Ordinal);
        var paused = (await _admin.ListPausedSinksAsync(cancellationToken).ConfigureAwait(false)).Select(p => p.Sink).ToHashSet(StringComparer.Ordinal);
        // The board names a destination as configured; sinks are named with their prefix.
        var circuits = (_board?.Report() ?? []).ToDictionary(s => DestinationOptions.SinkPrefix + s.Name, s => s.Circuit, StringComparer.Ordinal);
        var registered = RegisteredSinks.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var names = registered.Union(backlog.Keys).Union(paused).Order(StringComparer.Ordinal);
        var since = _time.GetUtcNow() - window;
        var list = new List<DestinationSummary>();
        foreach (var name in names)
        {
            var attempts = await _admin.QueryAttemptsAsync(new AttemptQuery { Sink = name, Since = since, Limit = StatsSample }, cancellationToken).ConfigureAwait(false);
            var durations = attempts.Select(a => a.Attempt.Duration).Order().ToArray();
            list.Add(new DestinationSummary(
                name,
                registered.Contains(name),
                paused.Contains(name),
                circuits.GetValueOrDefault(name),
                backlog.GetValueOrDefault(name) ?? new SinkBacklog(name, 0, 0, 0),
                window,
                attempts.Count,
                attempts.Count == 0 ? null : attempts.Count(a => a.Attempt.Succeeded) / (double)attempts.Count,
                Percentile(durations, 0.50),
                Percentile(durations, 0.95)));
        }

        return list;
    }

    /// <summary>A page of dead letters, newest first (by when each died): of one sink, or of all.</summary>
    /// <param name="sink">Only this sink's, or <see langword="null"/> for every sink's.</param>
    /// <param name="limit">At most this many (capped at <see cref="MaxPageSize"/>).</param>
    /// <param name="cursor">The <see cref="Page{T}.Next"/> of the previous page, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="FormatException"><paramref name="cursor"/> is not one this layer made.</exception>
    public async Task<Page<StoredDeadLetter>> ListDeadLettersAsync(string? sink, int limit, string? cursor, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var query = new DeadLetterQuery { Sink = sink, Before = DeadLetterCursor.Parse(cursor), Limit = limit };
        var dead = await _admin.QueryDeadLettersAsync(query, cancellationToken).ConfigureAwait(false);
        return new(dead, dead.Count == limit ? DeadLetterCursor.Format(dead[^1].Position) : null);
    }

    /// <summary>A message's status timeline by wamid, or <see langword="null"/>.</summary>
    public Task<MessageStatusHistory?> GetMessageStatusAsync(string wamid, CancellationToken cancellationToken) =>
        _store.GetMessageStatusAsync(wamid, cancellationToken);

    /// <summary>A page of the audit log, newest first.</summary>
    public async Task<Page<AuditEntry>> ListAuditAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPageSize);
        var entries = await _admin.ListAuditAsync(limit, ParseCursor(cursor), cancellationToken).ConfigureAwait(false);
        return new(entries, entries.Count == limit ? Cursor(entries[^1].Id) : null);
    }

    /// <summary>Reads a cursor given back by a client.</summary>
    /// <exception cref="FormatException">It is not one this layer made.</exception>
    public static long? ParseCursor(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? null
        : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new FormatException($"'{cursor}' is not a cursor; give back the 'next' of the previous page.");

    private static string Cursor(long position) => position.ToString(CultureInfo.InvariantCulture);

    private static TimeSpan? Percentile(TimeSpan[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private async Task<IReadOnlyList<EventRow>> WithSinksAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var work = (await _admin.ListSinkWorkAsync([.. events.Select(e => e.Id)], cancellationToken).ConfigureAwait(false))
            .ToLookup(w => w.EventId, StringComparer.Ordinal);
        return [.. events.Select(e => new EventRow(e, [.. work[e.Id]]))];
    }
}
