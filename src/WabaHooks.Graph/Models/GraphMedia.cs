using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>Meta's answer to <c>GET /{media-id}</c>: where to download the media, for a few minutes, and what it is.</summary>
public sealed class GraphMedia
{
    /// <summary>The media ID.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The download URL; short-lived, and it needs the access token.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; init; }

    /// <summary>The MIME type.</summary>
    [JsonPropertyName("mime_type")]
    public string? MimeType { get; init; }

    /// <summary>The SHA-256 of the bytes as Meta gives it here (hex or base64 has been seen; compare both).</summary>
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }

    /// <summary>The size in bytes.</summary>
    [JsonPropertyName("file_size")]
    public long? FileSize { get; init; }
}
