using System.Net;
using System.Security.Cryptography;
using WabaHooks.Media;

namespace WabaHooks.Graph.Media;

/// <summary>
/// Fetches one message's media and keeps it: the URL the message carried if any, else a fresh one from
/// <c>GET /{media-id}</c> (also when the first URL has expired), the bytes with the access token into a temporary file,
/// the SHA-256 checked against what Meta sent, then the store. One call is one attempt of the media sink: anything
/// that fails throws, and the sink retries, then dead-letters.
/// </summary>
public sealed class MediaFetcher(GraphClient graph, IMediaStore store, MediaOptions options, TimeProvider time)
{
    /// <summary>Fetches and keeps the media of <paramref name="media"/>'s message, unless it is kept already.</summary>
    /// <returns>The stored media.</returns>
    /// <exception cref="MediaIntegrityException">The bytes do not have the SHA-256 Meta sent.</exception>
    /// <exception cref="GraphApiException">The Graph API or the download refused.</exception>
    public async Task<StoredMedia> FetchAsync(MediaReference media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (await store.FindAsync(media.Wamid, cancellationToken).ConfigureAwait(false) is { } kept && kept.MediaId == media.MediaId)
        {
            return kept;
        }

        var temporary = Path.Combine(Path.GetTempPath(), $"wabahooks-media-{Guid.NewGuid():N}.tmp");
        try
        {
            await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            var (mimeType, metaSha256) = await DownloadAsync(media, file, cancellationToken).ConfigureAwait(false);

            file.Position = 0;
            var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            var expected = media.Sha256 ?? metaSha256;
            if (expected is not null && !Matches(expected, hash))
            {
                throw new MediaIntegrityException(
                    $"The media {media.MediaId} of message {media.Wamid} has SHA-256 {Convert.ToBase64String(hash)}, not the {expected} Meta sent; it is not kept.");
            }

            file.Position = 0;
            var stored = new StoredMedia(media.Wamid, media.MediaId, mimeType, Convert.ToBase64String(hash), file.Length, "", time.GetUtcNow());
            return await store.SaveAsync(stored, file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // DeleteOnClose removes it; this covers a failure before the file was opened.
            File.Delete(temporary);
        }
    }

    private async Task<(string? MimeType, string? Sha256)> DownloadAsync(MediaReference media, FileStream file, CancellationToken cancellationToken)
    {
        var mimeType = media.MimeType;
        string? sha256 = null;
        var url = Uri.TryCreate(media.Url, UriKind.Absolute, out var carried) ? carried : null;
        for (var fresh = url is null; ; fresh = true)
        {
            if (url is null)
            {
                var answer = await graph.GetMediaAsync(media.MediaId, cancellationToken).ConfigureAwait(false);
                if (!Uri.TryCreate(answer.Url, UriKind.Absolute, out url))
                {
                    throw new GraphApiException(HttpStatusCode.OK, $"GET /{media.MediaId} gave no download URL.");
                }

                mimeType ??= answer.MimeType;
                sha256 = answer.Sha256;
            }

            try
            {
                file.SetLength(0);
                await graph.DownloadMediaAsync(url, file, options.DownloadTimeout, cancellationToken).ConfigureAwait(false);
                return (mimeType, sha256);
            }
            catch (GraphApiException ex) when (!fresh && ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // The URL the message carried has expired (they last minutes): ask for a fresh one, once per attempt.
                url = null;
            }
        }
    }

    /// <summary>Meta sends the SHA-256 in base64 on messages; accept hex too, which other answers have used.</summary>
    private static bool Matches(string expected, byte[] hash) =>
        string.Equals(expected.Trim(), Convert.ToBase64String(hash), StringComparison.Ordinal)
        || string.Equals(expected.Trim(), Convert.ToHexStringLower(hash), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Fetched media whose bytes do not have the SHA-256 Meta sent: it is not kept, and the fetch is retried.</summary>
public sealed class MediaIntegrityException(string message) : Exception(message);

/// <summary>
/// Thrown to a handler registered with <c>OnMediaStored</c> while its message's media is not kept yet: the handler's
/// attempt fails and is retried with backoff, so it runs once the media is there.
/// </summary>
public sealed class MediaNotStoredException(string message) : Exception(message);
