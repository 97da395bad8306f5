namespace WabaHooks.Graph;

public sealed partial class GraphClient
{
    /// <summary>
    /// Asks where a media item can be downloaded: <c>GET /{version}/{media-id}</c>. The URL it gives lasts a few
    /// minutes; the media itself is kept by Meta for some days.
    /// </summary>
    /// <param name="mediaId">The media ID from the message.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException"><paramref name="mediaId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request or answered unreadably.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task<GraphMedia> GetMediaAsync(string mediaId, CancellationToken cancellationToken = default)
    {
        RequireId(mediaId, nameof(mediaId));
        var token = RequireAccessToken();
        var path = PathOf(mediaId);
        var url = UrlOf(path);
        return _transport.SendAsync(
            () => WithBearer(new HttpRequestMessage(HttpMethod.Get, url), token),
            "GET " + path,
            GraphJsonContext.Default.GraphMedia,
            cancellationToken);
    }

    /// <summary>
    /// Downloads media from the URL <see cref="GetMediaAsync"/> gave (or a message carried), with the access token, into
    /// <paramref name="destination"/>. One attempt: an expired URL answers 401, 403, 404 or 410, and only a fresh
    /// <see cref="GetMediaAsync"/> helps then.
    /// </summary>
    /// <param name="url">The download URL.</param>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="timeout">How long the whole download may take.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not an absolute http(s) URL.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The server answered anything but 2xx.</exception>
    /// <exception cref="TimeoutException">The download took longer than <paramref name="timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task DownloadMediaAsync(Uri url, Stream destination, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(destination);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The media URL must be an absolute http(s) URL.", nameof(url));
        }

        var token = RequireAccessToken();
        // The URL's query is a capability of its own: name only the host and path in errors.
        var request = "GET " + url.GetLeftPart(UriPartial.Path);
        return _transport.DownloadAsync(() => WithBearer(new HttpRequestMessage(HttpMethod.Get, url), token), request, destination, timeout, cancellationToken);
    }
}
