using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Admin;

/// <summary>An event in a list, with where each of its sinks stands (the outcome badges).</summary>
/// <param name="Event">The event as stored.</param>
/// <param name="Sinks">Its (event, sink) pairs, by sink name; empty when it matched no sink (unrouted).</param>
public sealed record EventRow(StoredEvent Event, IReadOnlyList<SinkWorkItem> Sinks);

/// <summary>One event with everything known about it.</summary>
/// <param name="Event">The event as stored.</param>
/// <param name="Delivery">The delivery it came in (without the body), or <see langword="null"/> once retention removed it.</param>
/// <param name="Sinks">Its (event, sink) pairs: state, attempts, next attempt, last error.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
public sealed record EventDetail(StoredEvent Event, DeliverySummary? Delivery, IReadOnlyList<SinkWorkItem> Sinks, IReadOnlyList<SinkAttempt> Attempts);

/// <summary>How one destination (or handler) stands: backlog from the store, circuit from this process, latency from recent attempts.</summary>
/// <param name="Name">The sink's name.</param>
/// <param name="Registered">Whether this process has a sink of that name (else only its stored work is left).</param>
/// <param name="Paused">Whether an operator paused it.</param>
/// <param name="Circuit"><c>closed</c>, <c>open</c> or <c>probing</c> for an HTTP destination in this process; <see langword="null"/> otherwise.</param>
/// <param name="Backlog">Pending, dead and delivered counts and the latest attempts.</param>
/// <param name="Window">The window the rates and latencies are taken over.</param>
/// <param name="Attempts">Attempts in the window (at most <see cref="WabaHooksQueries.StatsSample"/> of the latest are read).</param>
/// <param name="SuccessRate">Share of those attempts that succeeded, 0 to 1; <see langword="null"/> without attempts.</param>
/// <param name="LatencyP50">Median attempt duration in the window.</param>
/// <param name="LatencyP95">95th percentile attempt duration in the window.</param>
public sealed record DestinationSummary(
    string Name,
    bool Registered,
    bool Paused,
    string? Circuit,
    SinkBacklog Backlog,
    TimeSpan Window,
    int Attempts,
    double? SuccessRate,
    TimeSpan? LatencyP50,
    TimeSpan? LatencyP95);

/// <summary>One delivery with its body, what the processor made of it, and the events it gave.</summary>
/// <param name="Delivery">The delivery and its exact bytes.</param>
/// <param name="Outcome">Events, duplicates or why it failed; <see langword="null"/> while it waits to be processed.</param>
/// <param name="Events">The events first stored from it, in position order.</param>
public sealed record DeliveryDetail(Delivery Delivery, DeliveryOutcome? Outcome, IReadOnlyList<EventRow> Events);
