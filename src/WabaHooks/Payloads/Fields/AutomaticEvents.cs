namespace WabaHooks.Payloads;

/// <summary>
/// <c>automatic_events</c>: purchases and leads Meta detected in chats that began from a click-to-WhatsApp ad. The
/// splitter gives one event per <see cref="AutomaticEvent"/>; this whole value is the payload only when it holds none.
/// </summary>
public sealed class AutomaticEventsUpdate : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The detected events.</summary>
    public IReadOnlyList<AutomaticEvent>? AutomaticEvents { get; set; }
}

/// <summary><c>automatic_events[]</c>: one detected event.</summary>
public sealed class AutomaticEvent : PayloadObject
{
    /// <summary>The wamid of the message the event was detected in.</summary>
    public string? Id { get; set; }

    /// <summary><c>LeadSubmitted</c> or <c>Purchase</c> (lower case seen too); compare without regard to case.</summary>
    public string? EventName { get; set; }

    /// <summary>When it was detected.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The click ID of the ad the chat began from, when there was one.</summary>
    public string? CtwaClid { get; set; }

    /// <summary>The purchase amount, on purchases.</summary>
    public AutomaticEventCustomData? CustomData { get; set; }
}

/// <summary><c>custom_data</c> of an automatic event.</summary>
public sealed class AutomaticEventCustomData : PayloadObject
{
    /// <summary>The ISO 4217 currency code.</summary>
    public string? Currency { get; set; }

    /// <summary>The amount.</summary>
    public decimal? Value { get; set; }
}
