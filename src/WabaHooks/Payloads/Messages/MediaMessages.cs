namespace WabaHooks.Payloads;

/// <summary>An <c>image</c> message.</summary>
public sealed class ImageMessage : InboundMessage
{
    /// <summary>The image.</summary>
    public Media? Image { get; set; }
}

/// <summary>An <c>audio</c> message; a voice note when <see cref="Media.Voice"/> is true.</summary>
public sealed class AudioMessage : InboundMessage
{
    /// <summary>The audio.</summary>
    public Media? Audio { get; set; }
}

/// <summary>A <c>video</c> message.</summary>
public sealed class VideoMessage : InboundMessage
{
    /// <summary>The video.</summary>
    public Media? Video { get; set; }
}

/// <summary>A <c>document</c> message.</summary>
public sealed class DocumentMessage : InboundMessage
{
    /// <summary>The document.</summary>
    public Media? Document { get; set; }
}

/// <summary>A <c>sticker</c> message.</summary>
public sealed class StickerMessage : InboundMessage
{
    /// <summary>The sticker.</summary>
    public Media? Sticker { get; set; }
}

/// <summary>
/// A media object (<c>image</c>, <c>audio</c>, <c>video</c>, <c>document</c>, <c>sticker</c>). Content is never inline:
/// fetch it with <c>GET /{media-id}</c> or from <see cref="Url"/>.
/// </summary>
public sealed class Media : PayloadObject
{
    /// <summary>The media ID.</summary>
    public string? Id { get; set; }

    /// <summary>The MIME type.</summary>
    public string? MimeType { get; set; }

    /// <summary>The SHA-256 of the file, base64.</summary>
    public string? Sha256 { get; set; }

    /// <summary>A download URL (2025 and later).</summary>
    public string? Url { get; set; }

    /// <summary>The caption (image, video, document).</summary>
    public string? Caption { get; set; }

    /// <summary>The file name (document).</summary>
    public string? Filename { get; set; }

    /// <summary>True for a push-to-talk voice recording (audio).</summary>
    public bool? Voice { get; set; }

    /// <summary>True for an animated sticker.</summary>
    public bool? Animated { get; set; }
}
