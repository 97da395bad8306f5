namespace WabaHooks.Hosting.Destinations;

/// <summary>How one destination stands in this process, for the <c>destinations</c> section of <c>/readyz</c>.</summary>
/// <param name="Name">The destination's name.</param>
/// <param name="Circuit"><c>closed</c> (sending), <c>open</c> (paused after failing) or <c>probing</c> (one request decides).</param>
/// <param name="PausedUntil">When the pause ends, while the circuit is open.</param>
/// <param name="InFlight">Requests to it in flight now.</param>
internal sealed record DestinationStatus(string Name, string Circuit, DateTimeOffset? PausedUntil, int InFlight);

/// <summary>
/// The destinations running in this process and how each stands. The circuit breaker is per process, so this is the
/// only place its state shows; backlog and attempts are in the store (<c>wabahooks destinations list</c>).
/// </summary>
internal sealed class DestinationStatusBoard
{
    private readonly List<Func<DestinationStatus>> _sources = [];
    private readonly Lock _lock = new();

    public void Add(Func<DestinationStatus> source)
    {
        lock (_lock)
        {
            _sources.Add(source);
        }
    }

    public IReadOnlyList<DestinationStatus> Report()
    {
        lock (_lock)
        {
            return [.. _sources.Select(s => s()).OrderBy(s => s.Name, StringComparer.Ordinal)];
        }
    }
}
