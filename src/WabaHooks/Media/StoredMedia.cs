namespace WabaHooks.Media;

/// <summary>The media of one inbound message, as kept by an <see cref="IMediaStore"/>.</summary>
/// <param name="Wamid">The message's ID (a voicemail's is the call's <c>wacid.…</c>).</param>
/// <param name="MediaId">Meta's media ID.</param>
/// <param name="MimeType">The MIME type Meta gave, when it gave one.</param>
/// <param name="Sha256">The SHA-256 of the bytes, base64, as Meta sends it (and as verified).</param>
/// <param name="Length">The size in bytes.</param>
/// <param name="Location">Where the store keeps it: a file path for the directory store.</param>
/// <param name="StoredAt">When it was stored.</param>
public sealed record StoredMedia(string Wamid, string MediaId, string? MimeType, string Sha256, long Length, string Location, DateTimeOffset StoredAt);
