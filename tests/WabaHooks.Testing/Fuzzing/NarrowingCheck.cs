using WabaHooks.Events;
using WabaHooks.Destinations;

namespace WabaHooks.Testing.Fuzzing;

/// <summary>
/// What must hold when a destination forwards events of a fuzzed delivery: the splitter never throws; each event's
/// typed payload, contacts and <c>event</c>-format body can be built; and narrowing to any subset of the split succeeds
/// and gives an envelope the splitter reads again, holding every kept message, status, call and call status by its ID.
/// </summary>
public static class NarrowingCheck
{
    /// <summary>Checks one delivery body.</summary>
    /// <returns>How many narrowed envelopes were built, and the first thing that did not hold, or null.</returns>
    public static (int Envelopes, string? Failure) Run(byte[] body, long deliveryId)
    {
        SplitResult split;
        try
        {
            split = DeliverySplitter.Split(body, deliveryId);
        }
        catch (Exception ex)
        {
            return (0, $"DeliverySplitter.Split threw {ex}");
        }

        if (!split.IsSuccess || split.Events.Count == 0)
        {
            return (0, null);
        }

        var all = split.Events;
        foreach (var e in all)
        {
            try
            {
                _ = e.Payload;
                _ = e.PayloadError;
                _ = e.Contacts;
                _ = EventEnvelope.Write(e);
            }
            catch (Exception ex)
            {
                return (0, $"event {e.Id} ({e.Type}): reading it or writing its event-format body threw {ex}");
            }
        }

        var envelopes = 0;
        foreach (var (what, keep) in Subsets(all, body))
        {
            ReadOnlyMemory<byte> narrowed;
            try
            {
                narrowed = MetaEnvelope.Narrow(body, all, keep);
            }
            catch (Exception ex)
            {
                return (envelopes, $"MetaEnvelope.Narrow to {what} of {all.Count} events threw {ex}");
            }

            envelopes++;
            SplitResult again;
            try
            {
                again = DeliverySplitter.Split(narrowed, deliveryId);
            }
            catch (Exception ex)
            {
                return (envelopes, $"DeliverySplitter.Split threw on the envelope narrowed to {what} ({Convert.ToBase64String(narrowed.Span)}): {ex}");
            }

            if (!again.IsSuccess)
            {
                return (envelopes, $"the envelope narrowed to {what} does not split again ({again.Error}): {Convert.ToBase64String(narrowed.Span)}");
            }

            var ids = again.Events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            if (keep.FirstOrDefault(e => e.Kind is WabaEventKind.Message or WabaEventKind.Status or WabaEventKind.Call or WabaEventKind.CallStatus && !ids.Contains(e.Id)) is { } lost)
            {
                return (envelopes, $"the envelope narrowed to {what} lost kept event {lost.Id}: {Convert.ToBase64String(narrowed.Span)}");
            }
        }

        return (envelopes, null);
    }

    private static int Fnv1a(byte[] bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return unchecked((int)hash);
    }

    private static IEnumerable<(string What, WabaEvent[] Keep)> Subsets(IReadOnlyList<WabaEvent> all, byte[] body)
    {
        if (all.Count < 2)
        {
            // Keeping everything returns the body itself; keeping nothing is a destination that sends nothing.
            yield break;
        }

        for (var i = 0; i < Math.Min(all.Count, 4); i++)
        {
            yield return ($"event {i}", [all[i]]);
        }

        yield return ("all but the first", [.. all.Skip(1)]);
        yield return ("all but the last", [.. all.SkipLast(1)]);
        // Seeded by the content, not the delivery id (which depends on arrival order), so a run narrows the same way every time.
        var random = new Random(Fnv1a(body));
        var some = all.Where(_ => random.Next(2) == 0).ToArray();
        if (some.Length is > 0 && some.Length < all.Count)
        {
            yield return ("a random half", some);
        }
    }
}
