using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Replay;

/// <summary>
/// Schedules stored events for a sink again — one event, or every event of a range that the sink's filter selects —
/// and makes dead letters due again. It only schedules: the gateway's sink loops do the sending, with each event's
/// original idempotency key, so receivers that deduplicate on it are safe. For an admin API, or a tool beside a
/// running gateway that shares its store.
/// </summary>
/// <remarks>
/// A sink is given with its filter: for a destination, <c>new SinkRegistration(options.SinkName, options.Filter)</c>;
/// in the gateway's own process, one of <see cref="SinkRouter.Sinks"/>. Only the filter's lists (fields, types, WABA and
/// phone number ids) and <see cref="EventFilter.IncludeTestEvents"/> select stored events; a <see cref="EventFilter.Predicate"/> needs the typed event, and the sink's
/// loop checks it before each call.
/// </remarks>
/// <param name="events">Where the events are stored.</param>
/// <param name="work">Where the sink work is kept (the same store).</param>
/// <param name="time">The clock for "now": the default end of a range, and when replayed work is due.</param>
public sealed class SinkReplay(IEventStore events, ISinkWorkStore work, TimeProvider time)
{
    /// <summary>Events read per page: ids are small, and a page is one short read of the store.</summary>
    internal int PageSize { get; init; } = 1000;

    /// <summary>
    /// Events scheduled per transaction, so a long replay never holds the store's writer for long, and an interrupted
    /// one keeps what it scheduled (scheduling again is harmless).
    /// </summary>
    internal int ChunkSize { get; init; } = 500;

    /// <summary>Schedules one stored event for <paramref name="sink"/>, whatever became of it before.</summary>
    /// <param name="eventId">The event's idempotency key.</param>
    /// <param name="sink">The sink and its filter.</param>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>Whether it was scheduled, or why not; with the stored event when there is one.</returns>
    public async Task<EventReplayResult> ReplayEventAsync(string eventId, SinkRegistration sink, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentNullException.ThrowIfNull(sink);
        var e = await events.GetEventAsync(eventId, cancellationToken).ConfigureAwait(false);
        if (e is null)
        {
            return new(EventReplayStatus.NotFound, null);
        }

        if (!Selects(sink, e))
        {
            return new(EventReplayStatus.NotSelected, e);
        }

        await work.EnqueueAsync([eventId], sink.Name, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new(EventReplayStatus.Queued, e);
    }

    /// <summary>Selects and schedules, as <see cref="SelectAsync"/> then <see cref="ScheduleAsync"/>.</summary>
    /// <param name="range">Which stored events.</param>
    /// <param name="sink">The sink and its filter.</param>
    /// <param name="cancellationToken">Cancels the replay; what was scheduled before stays scheduled.</param>
    public async Task<ReplayResult> ReplayRangeAsync(ReplayRange range, SinkRegistration sink, CancellationToken cancellationToken)
    {
        var selection = await SelectAsync(range, sink, cancellationToken).ConfigureAwait(false);
        var queued = await ScheduleAsync(selection, null, cancellationToken).ConfigureAwait(false);
        return new(queued, selection.Skipped);
    }

    /// <summary>
    /// Pages through the events of <paramref name="range"/> and keeps the ids of those <paramref name="sink"/>'s filter
    /// selects, counting the rest. Nothing is scheduled yet, so this also tells what a replay would do.
    /// </summary>
    /// <param name="range">Which stored events.</param>
    /// <param name="sink">The sink and its filter.</param>
    /// <param name="cancellationToken">Cancels the selection.</param>
    public async Task<ReplaySelection> SelectAsync(ReplayRange range, SinkRegistration sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(sink);

        var query = new EventQuery
        {
            Since = range.Since,
            Until = range.Until,
            Field = range.Field,
            Type = range.Type,
            WabaId = range.WabaId,
            PhoneNumberId = range.PhoneNumberId,
            Limit = PageSize,
        };
        var ids = new List<string>();
        var skipped = 0;
        while (true)
        {
            // Newest first, each page below the last by sequence: events stored meanwhile are left out, not chased.
            var page = await events.ListEventsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                if (Selects(sink, e))
                {
                    ids.Add(e.Id);
                }
                else
                {
                    skipped++;
                }
            }

            if (page.Count < query.Limit)
            {
                break;
            }

            query = query with { BeforeSequence = page[^1].Sequence };
        }

        ids.Reverse();
        return new(sink, ids, skipped);
    }

    /// <summary>Schedules the selected events, oldest first, in short transactions.</summary>
    /// <param name="selection">From <see cref="SelectAsync"/>.</param>
    /// <param name="progress">Told, synchronously after each transaction, how many of the selected events are done.</param>
    /// <param name="cancellationToken">Cancels the rest; what was scheduled before stays scheduled.</param>
    /// <returns>How many (event, sink) pairs were scheduled.</returns>
    public async Task<int> ScheduleAsync(ReplaySelection selection, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var queued = 0;
        var done = 0;
        foreach (var chunk in selection.EventIds.Chunk(ChunkSize))
        {
            queued += await work.EnqueueAsync(chunk, selection.Sink.Name, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            done += chunk.Length;
            progress?.Report(done);
        }

        return queued;
    }

    /// <summary>Makes dead letters due again now, with their attempts reset.</summary>
    /// <param name="sink">Only this sink's, by name; <see langword="null"/> for every sink's, also ones no longer registered.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>How many.</returns>
    public Task<int> RetryDeadLettersAsync(string? sink, CancellationToken cancellationToken) =>
        work.RetryDeadLettersAsync(sink, time.GetUtcNow(), cancellationToken);

    private static bool Selects(SinkRegistration sink, StoredEvent e) =>
        (sink.Filter.IncludeTestEvents || !e.IsTest) // a replay never sends test traffic where it was kept from
        && sink.Filter.Matches(e.Field, e.Type, e.WabaId, e.PhoneNumberId);
}
