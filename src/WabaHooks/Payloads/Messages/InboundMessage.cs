using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// A <c>messages[]</c> item: a message a user sent to the business. One subclass per <c>type</c>; a type this library
/// does not know reads as <see cref="UnknownMessage"/>, never as an error.
/// </summary>
/// <remarks>Deserialised through <see cref="InboundMessageConverter"/>, which dispatches on <c>type</c> wherever it appears in the object.</remarks>
public abstract class InboundMessage : PayloadObject
{
    /// <summary>The sender's phone number, no <c>+</c>. Omitted for users who adopted a username (2026).</summary>
    public string? From { get; set; }

    /// <summary>The sender's business-scoped user ID (BSUID).</summary>
    public string? FromUserId { get; set; }

    /// <summary>The sender's parent business-scoped user ID.</summary>
    public string? FromParentUserId { get; set; }

    /// <summary>The recipient; present on echoes and history messages that the business sent.</summary>
    public string? To { get; set; }

    /// <summary>The WhatsApp message ID (<c>id</c>). Empty for the new content inside an <see cref="EditMessage"/>.</summary>
    [JsonPropertyName("id")]
    public string Wamid { get; set; } = "";

    /// <summary>When the user sent it.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The message type as sent, for example <c>text</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The group the message was sent in (Groups API); <see langword="null"/> for one-to-one chats.</summary>
    public string? GroupId { get; set; }

    /// <summary>Reply, forward and product context.</summary>
    public MessageContext? Context { get; set; }

    /// <summary>The ad or post that started the chat (Click-to-WhatsApp).</summary>
    public Referral? Referral { get; set; }

    /// <summary>Errors; sent with <c>unsupported</c> messages.</summary>
    public IReadOnlyList<WhatsAppError>? Errors { get; set; }
}

/// <summary>A message whose <c>type</c> this library does not model (for example <c>request_welcome</c> or a new type).</summary>
public sealed class UnknownMessage : InboundMessage
{
    /// <summary>The whole message object as sent, including its type-specific content.</summary>
    [JsonIgnore]
    public System.Text.Json.JsonElement Raw { get; internal set; }
}
