namespace WabaHooks.Payloads;

/// <summary>The value of a <c>messages</c> change: inbound messages, statuses of sent messages, or errors.</summary>
public sealed class MessagesValue : FieldValue, IPhoneNumberValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <inheritdoc />
    public Metadata? Metadata { get; set; }

    /// <summary>The users the messages came from (or, from 2026, the statuses went to).</summary>
    public IReadOnlyList<Contact>? Contacts { get; set; }

    /// <summary>Inbound messages.</summary>
    public IReadOnlyList<InboundMessage>? Messages { get; set; }

    /// <summary>Statuses of messages the business sent.</summary>
    public IReadOnlyList<MessageStatus>? Statuses { get; set; }

    /// <summary>System, app or account errors not tied to one message.</summary>
    public IReadOnlyList<WhatsAppError>? Errors { get; set; }
}
