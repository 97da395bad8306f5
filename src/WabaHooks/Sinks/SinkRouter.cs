using System.Collections.Concurrent;
using WabaHooks.Events;

namespace WabaHooks.Sinks;

/// <summary>Decides, when an event is stored, which sinks must receive it.</summary>
public sealed class SinkRouter
{
    // Most events go to one of a few combinations of sinks: each combination's names are built once, keyed by the set of
    // matching sinks (one bit each), and shared by every event routed to it. Bounded, in case filters give many.
    private const int MaxCachedRoutes = 1024;
    private readonly SinkRegistration[] _sinks;
    private readonly ConcurrentDictionary<ulong, string[]> _routes = new();

    /// <summary>Creates a router over the registered sinks.</summary>
    /// <exception cref="ArgumentException">Two sinks share a name.</exception>
    public SinkRouter(IEnumerable<SinkRegistration> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = [.. sinks];
        AnyOrdered = Array.Exists(_sinks, s => s.Ordering == SinkOrdering.PerConversation);
        var duplicate = _sinks.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two sinks are named '{duplicate.Key}'; each sink needs its own name.", nameof(sinks));
        }
    }

    /// <summary>The registered sinks.</summary>
    public IReadOnlyList<SinkRegistration> Sinks => _sinks;

    /// <summary>Whether <paramref name="sink"/> is registered with <see cref="SinkOrdering.PerConversation"/>.</summary>
    public bool IsOrdered(string sink)
    {
        foreach (var registration in _sinks)
        {
            if (registration.Ordering == SinkOrdering.PerConversation && string.Equals(registration.Name, sink, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any sink is registered with <see cref="SinkOrdering.PerConversation"/>.</summary>
    public bool AnyOrdered { get; }

    /// <summary>The names of the sinks whose filter matches <paramref name="e"/>.</summary>
    public IReadOnlyList<string> Route(WabaEvent e)
    {
        if (_sinks.Length > 64)
        {
            return RouteMany(e);
        }

        ulong matches = 0;
        for (var i = 0; i < _sinks.Length; i++)
        {
            if (_sinks[i].Filter.Matches(e))
            {
                matches |= 1UL << i;
            }
        }

        if (matches == 0)
        {
            return [];
        }

        if (_routes.TryGetValue(matches, out var names))
        {
            return names;
        }

        names = NamesOf(matches);
        return _routes.Count < MaxCachedRoutes ? _routes.GetOrAdd(matches, names) : names;
    }

    private string[] NamesOf(ulong matches)
    {
        var names = new string[System.Numerics.BitOperations.PopCount(matches)];
        var n = 0;
        for (var i = 0; i < _sinks.Length; i++)
        {
            if ((matches & (1UL << i)) != 0)
            {
                names[n++] = _sinks[i].Name;
            }
        }

        return names;
    }

    private List<string> RouteMany(WabaEvent e)
    {
        var names = new List<string>();
        foreach (var sink in _sinks)
        {
            if (sink.Filter.Matches(e))
            {
                names.Add(sink.Name);
            }
        }

        return names;
    }
}
