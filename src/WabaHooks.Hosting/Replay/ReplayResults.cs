using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Replay;

/// <summary>What became of a one-event replay.</summary>
public enum EventReplayStatus
{
    /// <summary>Scheduled for the sink.</summary>
    Queued,

    /// <summary>No event is stored under that id.</summary>
    NotFound,

    /// <summary>The sink's filter does not select the event; nothing was scheduled.</summary>
    NotSelected,
}

/// <summary>The outcome of <see cref="SinkReplay.ReplayEventAsync"/>.</summary>
/// <param name="Status">Whether it was scheduled, or why not.</param>
/// <param name="Event">The stored event; <see langword="null"/> when not found.</param>
public sealed record EventReplayResult(EventReplayStatus Status, StoredEvent? Event);

/// <summary>The events of a range that a sink's filter selects, before they are scheduled.</summary>
/// <param name="Sink">The sink they were selected for.</param>
/// <param name="EventIds">Their ids, oldest first.</param>
/// <param name="Skipped">Events in the range the sink's filter does not select.</param>
public sealed record ReplaySelection(SinkRegistration Sink, IReadOnlyList<string> EventIds, int Skipped);

/// <summary>The outcome of <see cref="SinkReplay.ReplayRangeAsync"/>.</summary>
/// <param name="Queued">(event, sink) pairs scheduled.</param>
/// <param name="Skipped">Events in the range the sink's filter does not select.</param>
public sealed record ReplayResult(int Queued, int Skipped);
