using WabaHooks.Events;

namespace WabaHooks.Sinks;

/// <summary>Decides, when an event is stored, which sinks must receive it.</summary>
public sealed class SinkRouter
{
    private readonly SinkRegistration[] _sinks;

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
        List<string>? names = null;
        foreach (var sink in _sinks)
        {
            if (sink.Filter.Matches(e))
            {
                (names ??= []).Add(sink.Name);
            }
        }

        return names ?? (IReadOnlyList<string>)[];
    }
}
