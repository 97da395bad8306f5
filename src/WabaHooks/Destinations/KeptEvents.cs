using WabaHooks.Events;

namespace WabaHooks.Destinations;

/// <summary>
/// Which events of a delivery are kept. Events are matched by what they are and where their bytes lie rather than by
/// reference, so a <c>keep</c> list taken from another split of the same buffer works too.
/// </summary>
internal static class KeptEvents
{
    /// <summary>One flag per event of <paramref name="all"/>: whether <paramref name="keep"/> holds it.</summary>
    /// <exception cref="ArgumentException"><paramref name="keep"/> holds an event that is not in <paramref name="all"/>.</exception>
    public static bool[] Mark(ReadOnlySpan<byte> body, IReadOnlyList<WabaEvent> all, IReadOnlyCollection<WabaEvent> keep)
    {
        var wanted = new HashSet<Key>(keep.Count);
        foreach (var e in keep)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(keep));
            wanted.Add(KeyOf(body, e));
        }

        var kept = new bool[all.Count];
        var found = new HashSet<Key>(wanted.Count);
        for (var i = 0; i < kept.Length; i++)
        {
            var key = KeyOf(body, all[i]);
            if (wanted.Contains(key))
            {
                kept[i] = true;
                found.Add(key);
            }
        }

        if (found.Count != wanted.Count)
        {
            throw new ArgumentException("keep holds an event that is not in all.", nameof(keep));
        }

        return kept;
    }

    private static Key KeyOf(ReadOnlySpan<byte> body, WabaEvent e)
    {
        // An empty slice overlaps nothing, so a change with no value is matched by its kind and ID alone.
        var offset = body.Overlaps(e.RawJson.Span, out var at) ? at : -1;
        return new Key(e.Kind, e.Id, offset, e.RawJson.Length);
    }

    private readonly record struct Key(WabaEventKind Kind, string Id, int Offset, int Length);
}
