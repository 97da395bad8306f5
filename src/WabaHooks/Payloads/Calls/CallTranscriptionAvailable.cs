namespace WabaHooks.Payloads;

/// <summary><c>call_transcription_available</c>: a call's transcript (a JSON document) can be downloaded (for 7 days).</summary>
public sealed class CallTranscriptionAvailable : CallEvent
{
    /// <summary>The transcript.</summary>
    public CallTranscript? CallTranscript { get; set; }
}

/// <summary><c>calls[].call_transcript</c>.</summary>
public sealed class CallTranscript : PayloadObject
{
    /// <summary>The document to download: ID, base64 SHA-256, MIME type (<c>application/json</c>) and URL.</summary>
    public Media? Document { get; set; }
}
