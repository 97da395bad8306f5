namespace WabaHooks.Payloads;

/// <summary>
/// A <c>calls[]</c> item of a <c>calls</c> change (WhatsApp Business Calling): one event in the life of a call. One
/// subclass per <c>event</c>; an event this library does not know reads as <see cref="UnknownCallEvent"/>, never as an
/// error.
/// </summary>
public abstract class CallEvent : PayloadObject
{
    /// <summary>The call ID (<c>id</c>, <c>wacid.…</c>): the same on every event and status of one call.</summary>
    public string Id { get; set; } = "";

    /// <summary>The event as sent, for example <c>connect</c> or <c>terminate</c>.</summary>
    public string Event { get; set; } = "";

    /// <summary>When Meta sent this event (Unix seconds, as a string or a number).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The caller's number: the user on a user-initiated call, the business on a business-initiated one. May be omitted for username users.</summary>
    public string? From { get; set; }

    /// <summary>The callee's number. May be omitted for username users.</summary>
    public string? To { get; set; }

    /// <summary>The caller's business-scoped user ID (BSUID), on user-initiated calls.</summary>
    public string? FromUserId { get; set; }

    /// <summary>The caller's parent business-scoped user ID.</summary>
    public string? FromParentUserId { get; set; }

    /// <summary>The callee's business-scoped user ID (BSUID), on business-initiated calls.</summary>
    public string? ToUserId { get; set; }

    /// <summary>The callee's parent business-scoped user ID.</summary>
    public string? ToParentUserId { get; set; }

    /// <summary>
    /// <c>USER_INITIATED</c> or <c>BUSINESS_INITIATED</c> as sent; optional, since some of Meta's user-initiated samples
    /// leave it out.
    /// </summary>
    public string? Direction { get; set; }

    /// <summary>The string the business passed when starting or accepting the call.</summary>
    public string? BizOpaqueCallbackData { get; set; }

    /// <summary>The <c>biz_payload</c> of the call deep link the user followed, if any (user-initiated calls).</summary>
    public string? DeeplinkPayload { get; set; }

    /// <summary>The payload of the call button the user tapped, if any (user-initiated calls).</summary>
    public string? CtaPayload { get; set; }

    /// <summary>Why the call failed, when Meta repeats the value-level errors inside the item.</summary>
    public IReadOnlyList<WhatsAppError>? Errors { get; set; }
}

/// <summary>A call event whose <c>event</c> this library does not model; its other properties stay in <see cref="PayloadObject.ExtensionData"/>.</summary>
public sealed class UnknownCallEvent : CallEvent;
