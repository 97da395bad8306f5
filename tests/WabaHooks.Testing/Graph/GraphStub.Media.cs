using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WabaHooks.Testing.Graph;

/// <summary>
/// Media, as Meta serves it: <c>GET /{version}/{media-id}</c> answers the media's JSON with a download URL that works
/// only with the access token and only until it expires; the URL serves the bytes. Each GET issues a new URL.
/// </summary>
public sealed partial class GraphStub
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string MimeType, string Sha256)> _media = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _mediaUrls = new(StringComparer.Ordinal);

    /// <summary>Holds a media item; <paramref name="sha256"/> is what the JSON claims (the bytes' real SHA-256, base64, unless given).</summary>
    public void AddMedia(string mediaId, byte[] bytes, string mimeType, string? sha256 = null) =>
        _media[mediaId] = (bytes, mimeType, sha256 ?? Convert.ToBase64String(SHA256.HashData(bytes)));

    /// <summary>Expires every download URL issued so far, as time does at Meta after a few minutes.</summary>
    public void ExpireMediaUrls() => _mediaUrls.Clear();

    /// <summary>A download URL for a media item that has already expired (as a message's <c>url</c> may be when it is fetched).</summary>
    public Uri ExpiredMediaUrl(string mediaId) => new(BaseUrl, $"media/{Uri.EscapeDataString(mediaId)}?token=expired");

    private (int, JsonNode)? MediaInfo(GraphRequest request, string id)
    {
        if (!_media.TryGetValue(id, out var media))
        {
            return null;
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _mediaUrls[token] = id;
        return RequireBearer(request) ?? (200, new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["url"] = new Uri(BaseUrl, $"media/{Uri.EscapeDataString(id)}?token={token}").AbsoluteUri,
            ["mime_type"] = media.MimeType,
            ["sha256"] = media.Sha256,
            ["file_size"] = media.Bytes.Length,
            ["id"] = id,
        });
    }

    /// <summary>Serves a download URL; false when the request is not for one.</summary>
    private async Task<bool> TryServeMediaAsync(HttpContext context, GraphRequest request)
    {
        if (!request.Path.StartsWith("/media/", StringComparison.Ordinal))
        {
            return false;
        }

        var id = Uri.UnescapeDataString(request.Path["/media/".Length..]);
        var valid = request.Query.TryGetValue("token", out var token) && _mediaUrls.TryGetValue(token, out var issuedFor) && issuedFor == id;
        if (RequireBearer(request) is not null || !valid || !_media.TryGetValue(id, out var media))
        {
            // Meta's lookaside host answers an expired or foreign URL with 404.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = media.MimeType;
        await context.Response.Body.WriteAsync(media.Bytes, context.RequestAborted);
        return true;
    }
}
