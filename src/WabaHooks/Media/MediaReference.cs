using WabaHooks.Payloads;

namespace WabaHooks.Media;

/// <summary>What an inbound media message says of its media: enough to fetch and verify it.</summary>
/// <param name="Wamid">The message's ID.</param>
/// <param name="Type">The message type: <c>image</c>, <c>audio</c>, <c>video</c>, <c>document</c> or <c>sticker</c>.</param>
/// <param name="MediaId">Meta's media ID, for <c>GET /{media-id}</c>.</param>
/// <param name="Sha256">The SHA-256 Meta sent, base64; <see langword="null"/> when it sent none.</param>
/// <param name="MimeType">The MIME type Meta sent.</param>
/// <param name="Url">The download URL when the message carries one (short-lived).</param>
public sealed record MediaReference(string Wamid, string Type, string MediaId, string? Sha256, string? MimeType, string? Url)
{
    /// <summary>The message types whose media can be kept.</summary>
    public static IReadOnlyList<string> Types { get; } = [MessageTypes.Image, MessageTypes.Audio, MessageTypes.Video, MessageTypes.Document, MessageTypes.Sticker];

    /// <summary>The media of <paramref name="message"/>; <see langword="null"/> when it is not a media message or names no media ID.</summary>
    public static MediaReference? Of(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (type, media) = message switch
        {
            ImageMessage m => (MessageTypes.Image, m.Image),
            AudioMessage m => (MessageTypes.Audio, m.Audio),
            VideoMessage m => (MessageTypes.Video, m.Video),
            DocumentMessage m => (MessageTypes.Document, m.Document),
            StickerMessage m => (MessageTypes.Sticker, m.Sticker),
            _ => ("", null),
        };
        return media?.Id is { Length: > 0 } id && message.Wamid.Length > 0
            ? new MediaReference(message.Wamid, type, id, media.Sha256, media.MimeType, media.Url)
            : null;
    }
}
