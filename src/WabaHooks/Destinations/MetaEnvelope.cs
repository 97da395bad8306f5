using WabaHooks.Events;

namespace WabaHooks.Destinations;

/// <summary>
/// What an HTTP destination in Meta's own format receives when it should get only some of a delivery's events: the
/// delivery narrowed to those events, still a <c>whatsapp_business_account</c> notification that Meta's SDKs (and
/// <see cref="DeliverySplitter"/>) read as usual.
/// </summary>
public static class MetaEnvelope
{
    /// <summary>Narrows a delivery to some of its events.</summary>
    /// <param name="body">The delivery body, exactly as received.</param>
    /// <param name="all">Every event <see cref="DeliverySplitter"/> split from <paramref name="body"/>, in its order.</param>
    /// <param name="keep">
    /// The events to keep, a subset of <paramref name="all"/>. An event of <paramref name="all"/> counts as kept when
    /// <paramref name="keep"/> holds it, or holds an event of the same <see cref="WabaEvent.Kind"/> and
    /// <see cref="WabaEvent.Id"/> whose <see cref="WabaEvent.RawJson"/> is the same slice of <paramref name="body"/>
    /// (as another split of the same buffer gives).
    /// </param>
    /// <returns>
    /// The body to send; <paramref name="body"/> itself when nothing is left out, otherwise new memory that does not
    /// refer to <paramref name="body"/>.
    /// </returns>
    /// <remarks>
    /// <para>The rules:</para>
    /// <list type="number">
    /// <item>If <paramref name="keep"/> holds every event of <paramref name="all"/>, the result is <paramref name="body"/>
    /// itself, byte for byte (no copy).</item>
    /// <item>Otherwise the result is a new JSON envelope. An entry or change none of whose events is left out is copied
    /// whole, byte for byte. The rest is rebuilt compactly: every property of the root, of each kept entry, of each kept
    /// change and of each value is copied as it came, its value byte for byte as in <paramref name="body"/>, with these
    /// exceptions:
    /// <list type="bullet">
    /// <item><c>entry</c> keeps only the entries with at least one kept change;</item>
    /// <item><c>changes</c> keeps only the changes with at least one kept event;</item>
    /// <item>in a <c>messages</c> change's value, the <c>messages</c> and <c>statuses</c> arrays keep only the kept
    /// items, and a property whose array ends up empty is left out; <c>errors</c> is kept only if the value's
    /// <c>messages.errors</c> event is kept; a <c>calls</c> change's value likewise, with <c>calls</c> in place of
    /// <c>messages</c> and <c>calls.errors</c>;</item>
    /// <item>the change of a kept whole-change event (<see cref="WabaEventKind.Change"/>) is copied whole.</item>
    /// </list>
    /// Everything else (<c>object</c>, the entry's <c>id</c> and <c>time</c>, <c>field</c>, <c>messaging_product</c>,
    /// <c>metadata</c>, <c>contacts</c>, and any property Meta adds later) is copied unchanged. So <c>contacts</c> may
    /// still name the sender of a message that was left out.</item>
    /// </list>
    /// <para>
    /// For the shapes Meta sends, splitting the result gives back exactly the kept events, in order. Messages, statuses and whole changes keep
    /// their <see cref="WabaEvent.Id"/>, <see cref="WabaEvent.Type"/> and <see cref="WabaEvent.RawJson"/> bytes, and
    /// so does a <c>messages.errors</c> event whose value kept all its messages and statuses. One whose value lost
    /// some comes back with that narrowed value as its raw JSON, and so with another ID, since both stand for the whole
    /// value; its <c>errors</c> bytes are unchanged.
    /// </para>
    /// <para>
    /// Shapes Meta does not send are narrowed the way the splitter reads them: a <c>messages</c> or <c>statuses</c>
    /// property that is neither an array nor <c>null</c> goes with the value's whole-change event, so it is left out
    /// unless that event is kept; a rebuilt change keeps only its last <c>value</c>, the one the splitter reads; an
    /// <c>entry</c> or <c>changes</c> array is written even when it ends up empty. Property names are written as their
    /// text, which for Meta's plain ASCII names is the same bytes; a name that is not text (a lone surrogate escape,
    /// bytes that are not UTF-8) is written as the text its bytes spell, escapes included, with U+FFFD for bytes that
    /// are not UTF-8.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="all"/> or <paramref name="keep"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="keep"/> holds an event that is not in <paramref name="all"/>, or <paramref name="all"/> is not
    /// the split of <paramref name="body"/>.
    /// </exception>
    public static ReadOnlyMemory<byte> Narrow(ReadOnlyMemory<byte> body, IReadOnlyList<WabaEvent> all, IReadOnlyCollection<WabaEvent> keep)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(keep);
        var kept = KeptEvents.Mark(body.Span, all, keep);
        return kept.AsSpan().Contains(false) ? EnvelopeNarrower.Write(body, all, kept) : body;
    }

    /// <summary>
    /// Narrows a delivery to some of its events, found by where their raw JSON lies in <paramref name="body"/> alone:
    /// no split, so events rebuilt from their stored locators (<see cref="StoredEvents.TryRebuild"/>) are narrowed as
    /// they were stored, whatever the current splitter makes of the body.
    /// </summary>
    /// <param name="body">The delivery body, exactly as received.</param>
    /// <param name="carried">
    /// The events to keep, each a slice of <paramref name="body"/>: items (messages, statuses, calls, list items) are
    /// elements of a list of a change's value; an errors or whole-change event is the value itself.
    /// </param>
    /// <returns>
    /// The body to send, by the rules of <see cref="Narrow(ReadOnlyMemory{byte}, IReadOnlyList{WabaEvent}, IReadOnlyCollection{WabaEvent})"/>,
    /// with "an event left out" read as "a part the carried events do not cover": an item of the field's own lists
    /// (or of a list holding a carried item) that is not carried, value-level <c>errors</c> of a <c>messages</c> or
    /// <c>calls</c> value whose errors event is not carried, a <c>messages</c>, <c>calls</c> or <c>statuses</c>
    /// property that is no list and whose whole-change event is not carried, an entry or change holding no carried
    /// event. For a subset of the events today's splitter gives, the result is the same bytes as that overload's.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="carried"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// An event's raw JSON is empty or not a slice of <paramref name="body"/>, or lies where no event of an envelope
    /// can lie; or <paramref name="body"/> is not a JSON object.
    /// </exception>
    public static ReadOnlyMemory<byte> Narrow(ReadOnlyMemory<byte> body, IReadOnlyCollection<WabaEvent> carried) =>
        PositionalNarrower.Write(body, carried);
}
