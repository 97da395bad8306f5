using System.Text.Json;

namespace WabaHooks.Payloads;

/// <summary>
/// <c>messaging_handovers</c>: control of a conversation passed between apps (customer service, marketing, an AI
/// agent…). An older test-panel sample has no <c>type</c>, only <c>control_passed</c>.
/// </summary>
public sealed class MessagingHandover : FieldValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; set; }

    /// <summary>The business number.</summary>
    public Metadata? Recipient { get; set; }

    /// <summary>The user.</summary>
    public HandoverSender? Sender { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary><c>control_passed</c>, <c>control_taken</c>, …; the object of that name holds the details.</summary>
    public string? Type { get; set; }

    /// <summary>Set on <c>control_passed</c>.</summary>
    public HandoverControl? ControlPassed { get; set; }

    /// <summary>Set on <c>control_taken</c>.</summary>
    public HandoverControl? ControlTaken { get; set; }

    /// <summary>The conversation's context as sent, when present.</summary>
    public JsonElement? ConversationContext { get; set; }
}

/// <summary><c>sender</c> of a handover.</summary>
public sealed class HandoverSender : PayloadObject
{
    /// <summary>The user's phone number.</summary>
    public string? PhoneNumber { get; set; }
}

/// <summary><c>control_passed</c> or <c>control_taken</c>.</summary>
public sealed class HandoverControl : PayloadObject
{
    /// <summary>For example <c>customer_service</c>, <c>marketing</c>, <c>utility</c>, <c>ctwa</c>, <c>ai_agent</c>, <c>escalation</c>.</summary>
    public string? PreviousOwnerRole { get; set; }

    /// <summary>The role that has control now; same values.</summary>
    public string? NewOwnerRole { get; set; }

    /// <summary>What the app that passed control set for the next one.</summary>
    public string? Metadata { get; set; }
}
