namespace WabaHooks.Payloads;

/// <summary>
/// <c>connect</c>: a user is calling the business (the session holds an SDP offer to answer), or a call the business
/// started is ready (the session holds Meta's SDP answer). The business has well under a minute to act on it.
/// </summary>
public sealed class CallConnect : CallEvent
{
    /// <summary><c>offer</c>: <see cref="CallSession.SdpType"/> on a user-initiated call.</summary>
    public const string Offer = "offer";

    /// <summary><c>answer</c>: <see cref="CallSession.SdpType"/> on a business-initiated call.</summary>
    public const string Answer = "answer";

    /// <summary>The WebRTC session description.</summary>
    public CallSession? Session { get; set; }

    /// <summary>The older form of the SDP on business-initiated connects; read <see cref="Session"/> first.</summary>
    public CallConnection? Connection { get; set; }
}

/// <summary><c>calls[].connection</c>: the older place of a business-initiated call's SDP answer.</summary>
public sealed class CallConnection : PayloadObject
{
    /// <summary>The WebRTC part.</summary>
    public CallWebRtc? Webrtc { get; set; }
}

/// <summary><c>calls[].connection.webrtc</c>.</summary>
public sealed class CallWebRtc : PayloadObject
{
    /// <summary>
    /// The SDP as sent: in Meta's full sample a JSON string that wraps <c>{sdp, type}</c>, so it is kept as text rather
    /// than parsed.
    /// </summary>
    public string? Sdp { get; set; }
}

/// <summary><c>calls[].session</c>: an SDP (RFC 8866, CRLF line ends) and whether it is an offer or an answer.</summary>
public sealed class CallSession : PayloadObject
{
    /// <summary><see cref="CallConnect.Offer"/> or <see cref="CallConnect.Answer"/> as sent.</summary>
    public string? SdpType { get; set; }

    /// <summary>The session description, exactly as sent.</summary>
    public string? Sdp { get; set; }
}
