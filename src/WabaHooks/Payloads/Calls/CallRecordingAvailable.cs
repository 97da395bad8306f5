namespace WabaHooks.Payloads;

/// <summary><c>call_recording_available</c>: a recorded call's audio can be downloaded (for 7 days), usually within a minute of the end.</summary>
public sealed class CallRecordingAvailable : CallEvent
{
    /// <summary>The recording.</summary>
    public CallRecording? CallRecording { get; set; }
}

/// <summary><c>calls[].call_recording</c>.</summary>
public sealed class CallRecording : PayloadObject
{
    /// <summary><c>audio</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The media to download: ID, base64 SHA-256, MIME type (<c>audio/ogg; codecs=opus</c>) and URL.</summary>
    public Media? Audio { get; set; }
}
