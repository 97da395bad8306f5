namespace WabaHooks.Payloads;

/// <summary>
/// An <c>interactive</c> message: the user answered a reply button, a list, a flow, an address request or a call
/// permission request.
/// </summary>
public sealed class InteractiveMessage : InboundMessage
{
    /// <summary>The answer; <see cref="Interactive.Type"/> says which part is set.</summary>
    public Interactive? Interactive { get; set; }
}

/// <summary><c>interactive</c>. Reply types Meta adds later land in <see cref="PayloadObject.ExtensionData"/>.</summary>
public sealed class Interactive : PayloadObject
{
    /// <summary><c>button_reply</c>, <c>list_reply</c>, <c>nfm_reply</c>, <c>call_permission_reply</c>, or a newer type.</summary>
    public string? Type { get; set; }

    /// <summary>The reply button tapped.</summary>
    public InteractiveReply? ButtonReply { get; set; }

    /// <summary>The list row chosen.</summary>
    public InteractiveReply? ListReply { get; set; }

    /// <summary>A flow or address-message response.</summary>
    public NfmReply? NfmReply { get; set; }

    /// <summary>The user's answer to a call permission request (or a grant made because the user called).</summary>
    public CallPermissionReply? CallPermissionReply { get; set; }
}

/// <summary><c>button_reply</c> or <c>list_reply</c>.</summary>
public sealed class InteractiveReply : PayloadObject
{
    /// <summary>The developer-set ID of the button or row.</summary>
    public string? Id { get; set; }

    /// <summary>The label.</summary>
    public string? Title { get; set; }

    /// <summary>The row description (list replies).</summary>
    public string? Description { get; set; }
}

/// <summary><c>nfm_reply</c>: a native flow message response.</summary>
public sealed class NfmReply : PayloadObject
{
    /// <summary><c>flow</c> or <c>address_message</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The text shown in the chat (<c>Sent</c> for flows).</summary>
    public string? Body { get; set; }

    /// <summary>The response as a JSON <em>string</em> (flow token and screen data, or the address); parse it yourself.</summary>
    public string? ResponseJson { get; set; }
}

/// <summary>
/// <c>call_permission_reply</c>. <c>context.id</c> of the message is the permission request's wamid, or the call's
/// wacid when the grant came from the user calling.
/// </summary>
public sealed class CallPermissionReply : PayloadObject
{
    /// <summary><c>accept</c> or <c>reject</c>.</summary>
    public string? Response { get; set; }

    /// <summary>Whether the permission does not expire.</summary>
    public bool? IsPermanent { get; set; }

    /// <summary>When a granted temporary permission ends (a string or an integer as sent; both read).</summary>
    public DateTimeOffset? ExpirationTimestamp { get; set; }

    /// <summary><c>user_action</c> (the user tapped) or <c>automatic</c> (the user called).</summary>
    public string? ResponseSource { get; set; }
}
