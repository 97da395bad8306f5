namespace WabaHooks.Inbox;

/// <summary>
/// Marks on a stored delivery that was validly signed but will not parse as a WhatsApp notification. Such deliveries
/// are kept and answered 200 — Meta would retry them for days and they would never parse — and shown for inspection.
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
}
