namespace WabaHooks.Payloads;

/// <summary>A <c>button</c> message: a quick-reply button tapped on a template message.</summary>
public sealed class ButtonMessage : InboundMessage
{
    /// <summary>The button.</summary>
    public ButtonContent? Button { get; set; }
}

/// <summary><c>button</c>.</summary>
public sealed class ButtonContent : PayloadObject
{
    /// <summary>The developer-set payload.</summary>
    public string? Payload { get; set; }

    /// <summary>The button label.</summary>
    public string? Text { get; set; }
}

/// <summary>A <c>reaction</c> message. A removed reaction has no <see cref="Reaction.Emoji"/>.</summary>
public sealed class ReactionMessage : InboundMessage
{
    /// <summary>The reaction.</summary>
    public Reaction? Reaction { get; set; }
}

/// <summary><c>reaction</c>.</summary>
public sealed class Reaction : PayloadObject
{
    /// <summary>The wamid of the message reacted to.</summary>
    public string? MessageId { get; set; }

    /// <summary>The emoji; <see langword="null"/> when the user removed the reaction.</summary>
    public string? Emoji { get; set; }
}

/// <summary>A <c>system</c> message, for example <c>user_changed_number</c>. It comes without <c>contacts</c>.</summary>
public sealed class SystemMessage : InboundMessage
{
    /// <summary>The system notice.</summary>
    public SystemContent? System { get; set; }
}

/// <summary><c>system</c>.</summary>
public sealed class SystemContent : PayloadObject
{
    /// <summary>A human-readable description; never branch on it.</summary>
    public string? Body { get; set; }

    /// <summary>The user's new WhatsApp ID.</summary>
    public string? WaId { get; set; }

    /// <summary><c>user_changed_number</c>, <c>user_changed_user_id</c>, or an older or newer type.</summary>
    public string? Type { get; set; }
}

/// <summary>An <c>unsupported</c> message; <see cref="InboundMessage.Errors"/> says why (code <c>131051</c>).</summary>
public sealed class UnsupportedMessage : InboundMessage
{
    /// <summary>What the user sent.</summary>
    public UnsupportedContent? Unsupported { get; set; }
}

/// <summary><c>unsupported</c>.</summary>
public sealed class UnsupportedContent : PayloadObject
{
    /// <summary>The type WhatsApp could not deliver, for example <c>poll</c> or <c>edit</c>.</summary>
    public string? Type { get; set; }
}

/// <summary>An <c>edit</c> message (2026): the user edited a text or captioned media message.</summary>
public sealed class EditMessage : InboundMessage
{
    /// <summary>The edit.</summary>
    public EditContent? Edit { get; set; }
}

/// <summary><c>edit</c>.</summary>
public sealed class EditContent : PayloadObject
{
    /// <summary>The wamid of the message edited.</summary>
    public string? OriginalMessageId { get; set; }

    /// <summary>The new content, typed like any message (its <see cref="InboundMessage.Wamid"/> is empty).</summary>
    public InboundMessage? Message { get; set; }
}

/// <summary>A <c>revoke</c> message (2026): the user deleted a message.</summary>
public sealed class RevokeMessage : InboundMessage
{
    /// <summary>The revocation.</summary>
    public RevokeContent? Revoke { get; set; }
}

/// <summary><c>revoke</c>.</summary>
public sealed class RevokeContent : PayloadObject
{
    /// <summary>The wamid of the message deleted.</summary>
    public string? OriginalMessageId { get; set; }
}
