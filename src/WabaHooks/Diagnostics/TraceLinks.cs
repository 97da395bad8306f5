using System.Diagnostics;

namespace WabaHooks.Diagnostics;

/// <summary>
/// Turns the W3C <c>traceparent</c> stored with deliveries back into span links, so work done later — after a restart,
/// or in another process — points at the span that received the delivery.
/// </summary>
public static class TraceLinks
{
    /// <summary>The name of WabaHooks' activity source (and of its meter).</summary>
    public const string SourceName = "WabaHooks";

    /// <summary>
    /// Links to each distinct stored context; contexts that are missing (nothing listened when the delivery arrived) or
    /// unreadable are skipped, since a link is a hint, never a reason to fail.
    /// </summary>
    /// <param name="traceParents">The stored <c>traceparent</c> values.</param>
    /// <returns>The links, or <see langword="null"/> when there are none.</returns>
    public static List<ActivityLink>? To(IEnumerable<string?> traceParents)
    {
        ArgumentNullException.ThrowIfNull(traceParents);
        List<ActivityLink>? links = null;
        HashSet<string>? seen = null;
        foreach (var traceParent in traceParents)
        {
            if (traceParent is null || !(seen ??= new(StringComparer.Ordinal)).Add(traceParent)
                || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var context))
            {
                continue;
            }

            (links ??= []).Add(new ActivityLink(context));
        }

        return links;
    }
}
