using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// A <c>statuses[]</c> item: what happened to a message the business sent. <see cref="Status"/> stays a string so a
/// value this library does not know (<c>deleted</c>, <c>warning</c>, a new one) never fails.
/// </summary>
public sealed class MessageStatus : PayloadObject
{
    /// <summary><c>sent</c>: one tick.</summary>
    public const string Sent = "sent";

    /// <summary><c>delivered</c>: two ticks. Sometimes never sent when delivery and read coincide.</summary>
    public const string Delivered = "delivered";

    /// <summary><c>read</c>: blue ticks.</summary>
    public const string Read = "read";

    /// <summary><c>played</c>: a voice message was played for the first time.</summary>
    public const string Played = "played";

    /// <summary><c>failed</c>: not delivered; see <see cref="Errors"/>.</summary>
    public const string Failed = "failed";

    /// <summary>The wamid of the message sent (<c>id</c>).</summary>
    [JsonPropertyName("id")]
    public string Wamid { get; set; } = "";

    /// <summary>The status as sent: <see cref="Sent"/>, <see cref="Delivered"/>, <see cref="Read"/>, <see cref="Played"/>, <see cref="Failed"/>, or another value.</summary>
    public string Status { get; set; } = "";

    /// <summary>When it happened.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The recipient's phone number, or a group ID for group sends. May be omitted for username users.</summary>
    public string? RecipientId { get; set; }

    /// <summary><c>group</c> for group sends.</summary>
    public string? RecipientType { get; set; }

    /// <summary>The group member this status is about (group sends).</summary>
    public string? RecipientParticipantId { get; set; }

    /// <summary>The recipient's business-scoped user ID (BSUID).</summary>
    public string? RecipientUserId { get; set; }

    /// <summary>The recipient's parent business-scoped user ID.</summary>
    public string? ParentRecipientUserId { get; set; }

    /// <summary>Present when the identity-change check is enabled.</summary>
    public string? RecipientIdentityKeyHash { get; set; }

    /// <summary>The string the business set when sending.</summary>
    public string? BizOpaqueCallbackData { get; set; }

    /// <summary>The conversation (v24+: only inside a free-entry-point window).</summary>
    public Conversation? Conversation { get; set; }

    /// <summary>Pricing; on <c>sent</c> and on one of <c>delivered</c>/<c>read</c>.</summary>
    public Pricing? Pricing { get; set; }

    /// <summary>Why the message failed.</summary>
    public IReadOnlyList<WhatsAppError>? Errors { get; set; }
}

/// <summary><c>statuses[].conversation</c>.</summary>
public sealed class Conversation : PayloadObject
{
    /// <summary>The conversation ID.</summary>
    public string? Id { get; set; }

    /// <summary>When the conversation window closes; only on <c>sent</c>.</summary>
    public DateTimeOffset? ExpirationTimestamp { get; set; }

    /// <summary>Where the conversation started.</summary>
    public ConversationOrigin? Origin { get; set; }
}

/// <summary><c>conversation.origin</c>.</summary>
public sealed class ConversationOrigin : PayloadObject
{
    /// <summary><c>marketing</c>, <c>utility</c>, <c>service</c>, <c>authentication_international</c>, … (underscore spelling).</summary>
    public string? Type { get; set; }
}

/// <summary><c>statuses[].pricing</c>.</summary>
public sealed class Pricing : PayloadObject
{
    /// <summary>Deprecated in favour of <see cref="Type"/> and <see cref="Category"/>.</summary>
    public bool? Billable { get; set; }

    /// <summary><c>PMP</c> (or <c>CBP</c> before 2025-07-01).</summary>
    public string? PricingModel { get; set; }

    /// <summary><c>regular</c>, <c>free_customer_service</c> or <c>free_entry_point</c>.</summary>
    public string? Type { get; set; }

    /// <summary><c>marketing</c>, <c>utility</c>, <c>authentication-international</c> (hyphen spelling), …</summary>
    public string? Category { get; set; }
}
