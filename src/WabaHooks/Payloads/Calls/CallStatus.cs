namespace WabaHooks.Payloads;

/// <summary>
/// A <c>statuses[]</c> item with <c>type: "call"</c> in a <c>calls</c> change: how a business-initiated call is going.
/// <see cref="Status"/> stays a string so a value this library does not know never fails.
/// </summary>
public sealed class CallStatus : PayloadObject
{
    /// <summary><c>RINGING</c>: the user's device rings.</summary>
    public const string Ringing = "RINGING";

    /// <summary><c>ACCEPTED</c>: the user answered; usually arrives after the call is up, so it is for the record.</summary>
    public const string Accepted = "ACCEPTED";

    /// <summary><c>REJECTED</c>: the user declined; a <c>terminate</c> follows.</summary>
    public const string Rejected = "REJECTED";

    /// <summary>The call ID (<c>id</c>, <c>wacid.…</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary><c>call</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The status as sent: <see cref="Ringing"/>, <see cref="Accepted"/>, <see cref="Rejected"/>, or another value.</summary>
    public string Status { get; set; } = "";

    /// <summary>When it happened.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The callee's phone number. May be omitted for username users.</summary>
    public string? RecipientId { get; set; }

    /// <summary>The callee's business-scoped user ID (BSUID).</summary>
    public string? RecipientUserId { get; set; }

    /// <summary>The callee's parent business-scoped user ID.</summary>
    public string? RecipientParentUserId { get; set; }

    /// <summary>The string the business passed when starting the call.</summary>
    public string? BizOpaqueCallbackData { get; set; }
}
