using WabaHooks.Events;

namespace WabaHooks.Sinks;

/// <summary>Which events a sink wants. Each list that is empty matches everything; the lists combine with AND.</summary>
public sealed record EventFilter
{
    /// <summary>Matches every event.</summary>
    public static EventFilter All { get; } = new();

    /// <summary>Only these fields (<c>messages</c>, <c>account_update</c>, …).</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>
    /// Only these type names (<c>messages.text</c>, <c>statuses.read</c>, …). A name ending in <c>.*</c> matches a
    /// prefix: <c>statuses.*</c> is every status.
    /// </summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Only these WABA ids (<c>entry.id</c>).</summary>
    public IReadOnlyList<string> WabaIds { get; init; } = [];

    /// <summary>Only these phone number ids.</summary>
    public IReadOnlyList<string> PhoneNumberIds { get; init; } = [];

    /// <summary>
    /// Whether test events (<see cref="WabaEvent.IsTest"/>: sent by <c>wabahooks trigger</c> or <c>verify-endpoint</c>)
    /// pass too. Default <see langword="false"/>: made-up traffic never reaches a production sink unless it asks for it.
    /// </summary>
    public bool IncludeTestEvents { get; init; }

    /// <summary>An extra condition on the typed event, for in-process handlers (for example the payload's CLR type).</summary>
    public Func<WabaEvent, bool>? Predicate { get; init; }

    /// <summary>Whether <paramref name="e"/> passes every condition.</summary>
    public bool Matches(WabaEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return (IncludeTestEvents || !e.IsTest)
            && Matches(e.Field, e.Type, e.WabaId, e.PhoneNumberId)
            && (Predicate is null || Predicate(e));
    }

    /// <summary>Whether an event with these properties passes the list conditions (not <see cref="Predicate"/>).</summary>
    public bool Matches(string field, string type, string wabaId, string? phoneNumberId) =>
        (Fields.Count == 0 || Contains(Fields, field))
        && (Types.Count == 0 || AnyTypeMatches(Types, type))
        && (WabaIds.Count == 0 || Contains(WabaIds, wabaId))
        && (PhoneNumberIds.Count == 0 || (phoneNumberId is not null && Contains(PhoneNumberIds, phoneNumberId)));

    // Loops by index rather than LINQ: the processor asks every sink's filter about every event, and Contains with a
    // comparer, or Any with a lambda over the type, allocates an enumerator or a closure per call.
    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyTypeMatches(IReadOnlyList<string> patterns, string type)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (TypeMatchesCore(patterns[i], type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a type name matches a pattern: an exact name, or a prefix ending in <c>.*</c> (<c>statuses.*</c> matches
    /// <c>statuses.read</c>). The one rule for destination filters and the command line.
    /// </summary>
    public static bool TypeMatches(string pattern, string type)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(type);
        return TypeMatchesCore(pattern, type);
    }

    private static bool TypeMatchesCore(string pattern, string type) =>
        pattern.EndsWith(".*", StringComparison.Ordinal)
            ? type.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, type, StringComparison.Ordinal);
}
