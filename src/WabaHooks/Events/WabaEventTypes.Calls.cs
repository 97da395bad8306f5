using WabaHooks.Payloads;

namespace WabaHooks.Events;

public static partial class WabaEventTypes
{
    /// <summary>A <c>calls[]</c> item with <c>event: "connect"</c>.</summary>
    public const string CallsConnect = "calls.connect";

    /// <summary>A <c>calls[]</c> item with <c>event: "terminate"</c>.</summary>
    public const string CallsTerminate = "calls.terminate";

    /// <summary>A <c>calls[]</c> item with <c>event: "call_created"</c> (SIP).</summary>
    public const string CallsCallCreated = "calls.call_created";

    /// <summary>A <c>calls[]</c> item with <c>event: "call_recording_available"</c>.</summary>
    public const string CallsCallRecordingAvailable = "calls.call_recording_available";

    /// <summary>A <c>calls[]</c> item with <c>event: "call_transcription_available"</c>.</summary>
    public const string CallsCallTranscriptionAvailable = "calls.call_transcription_available";

    /// <summary>A <c>calls[]</c> item whose <c>event</c> the library does not model.</summary>
    public const string CallsUnknown = "calls.unknown";

    /// <summary>A call status <c>RINGING</c>.</summary>
    public const string CallsStatusesRinging = "calls.statuses.ringing";

    /// <summary>A call status <c>ACCEPTED</c>.</summary>
    public const string CallsStatusesAccepted = "calls.statuses.accepted";

    /// <summary>A call status <c>REJECTED</c>.</summary>
    public const string CallsStatusesRejected = "calls.statuses.rejected";

    /// <summary>A call status value the library does not know.</summary>
    public const string CallsStatusesUnknown = "calls.statuses.unknown";

    /// <summary>The value-level <c>errors</c> of a <c>calls</c> change.</summary>
    public const string CallsErrors = "calls.errors";

    /// <summary>The type name of a <c>calls[]</c> item.</summary>
    /// <param name="callEvent">The <c>event</c> value as sent.</param>
    public static string ForCall(string? callEvent) => callEvent switch
    {
        "connect" => CallsConnect,
        "terminate" => CallsTerminate,
        "call_created" => CallsCallCreated,
        "call_recording_available" => CallsCallRecordingAvailable,
        "call_transcription_available" => CallsCallTranscriptionAvailable,
        _ => CallsUnknown,
    };

    /// <summary>The type name of a call status (a <c>statuses[]</c> item with <c>type: "call"</c>).</summary>
    /// <param name="status">The <c>status</c> value as sent; compared without regard to case, as Meta's casing varies.</param>
    public static string ForCallStatus(ReadOnlySpan<char> status) =>
        status.Equals(CallStatus.Ringing, StringComparison.OrdinalIgnoreCase) ? CallsStatusesRinging
        : status.Equals(CallStatus.Accepted, StringComparison.OrdinalIgnoreCase) ? CallsStatusesAccepted
        : status.Equals(CallStatus.Rejected, StringComparison.OrdinalIgnoreCase) ? CallsStatusesRejected
        : CallsStatusesUnknown;
}
