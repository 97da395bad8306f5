namespace WabaHooks.Sinks;

/// <summary>A named receiver of events: an in-process handler, an HTTP destination, a broker.</summary>
/// <param name="Name">
/// Stable across restarts: pending work is recorded under it. Renaming a sink leaves its pending work behind.
/// </param>
/// <param name="Filter">Which events it receives.</param>
public sealed record SinkRegistration(string Name, EventFilter Filter)
{
    /// <summary>Whether it receives events in order per conversation. Default <see cref="SinkOrdering.None"/>.</summary>
    public SinkOrdering Ordering { get; init; }
}
