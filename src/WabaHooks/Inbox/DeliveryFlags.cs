namespace WabaHooks.Inbox;

/// <summary>
/// Marks on a stored delivery that was validly signed but is not a clean WhatsApp notification. Deliveries marked
/// <see cref="NotJson"/> or <see cref="UnexpectedObject"/> will never parse; they are kept and answered 200 — Meta would
/// retry them for days — and shown for inspection. <see cref="InvalidUnicode"/> is a warning only.
/// </summary>
[Flags]
public enum DeliveryFlags
{
    /// <summary>A well-formed JSON object whose <c>object</c> is <c>whatsapp_business_account</c>.</summary>
    None = 0,

    /// <summary>The body is not well-formed JSON.</summary>
    NotJson = 1,

    /// <summary>The body is JSON, but not an object whose <c>object</c> property is <c>whatsapp_business_account</c>.</summary>
    UnexpectedObject = 2,

    /// <summary>
    /// The body holds text that is not valid Unicode: bytes that are not UTF-8, or a <c>\u</c> escape of a lone
    /// surrogate (half of a pair, such as <c>\ud83d</c> alone). A parse warning, not a refusal: the delivery is
    /// processed as usual and keeps its events; the mark tells whoever reads them that some text is not what was typed.
    /// </summary>
    InvalidUnicode = 4,

    /// <summary>
    /// Synthetic traffic: the request carried a valid <see cref="Signatures.TestMark"/> header (sent by
    /// <c>wabahooks trigger</c> and <c>verify-endpoint</c>). Stored and processed as usual; its events reach only the
    /// sinks that opt in to test events.
    /// </summary>
    Test = 8,
}
