namespace WabaHooks.Payloads;

/// <summary>An <c>image</c> message.</summary>
public sealed class ImageMessage : InboundMessage
{
    /// <summary>The image.</summary>
    public Media? Image { get; init; }
}

/// <summary>An <c>audio</c> message; a voice note when <see cref="Media.Voice"/> is true.</summary>
public sealed class AudioMessage : InboundMessage
{
    /// <summary>The audio.</summary>
    public Media? Audio { get; init; }
}

/// <summary>A <c>video</c> message.</summary>
public sealed class VideoMessage : InboundMessage
{
    /// <summary>The video.</summary>
    public Media? Video { get; init; }
}

/// <summary>A <c>document</c> message.</summary>
public sealed class DocumentMessage : InboundMessage
{
    /// <summary>The document.</summary>
    public Media? Document { get; init; }
}

/// <summary>A <c>sticker</c> message.</summary>
public sealed class StickerMessage : InboundMessage
{
    /// <summary>The sticker.</summary>
    public Media? Sticker { get; init; }
}

/// <summary>
/// A media object (<c>image</c>, <c>audio</c>, <c>video</c>, <c>document</c>, <c>sticker</c>). Content is never inline:
/// fetch it with <c>GET /{media-id}</c> or from <see cref="Url"/>.
/// </summary>
public sealed class Media : PayloadObject
{
    /// <summary>The media ID.</summary>
    public string? Id { get; init; }

    /// <summary>The MIME type.</summary>
    public string? MimeType { get; init; }

    /// <summary>The SHA-256 of the file, base64.</summary>
    public string? Sha256 { get; init; }

    /// <summary>A download URL (2025 and later).</summary>
    public string? Url { get; init; }

    /// <summary>The caption (image, video, document).</summary>
    public string? Caption { get; init; }

    /// <summary>The file name (document).</summary>
    public string? Filename { get; init; }

    /// <summary>True for a push-to-talk voice recording (audio).</summary>
    public bool? Voice { get; init; }

    /// <summary>True for an animated sticker.</summary>
    public bool? Animated { get; init; }
}
