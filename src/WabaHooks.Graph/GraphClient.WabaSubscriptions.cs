namespace WabaHooks.Graph;

/// <content>WABA-level subscriptions and overrides: <c>/{version}/{waba-id}/subscribed_apps</c>, with a Bearer token.</content>
public sealed partial class GraphClient
{
    private const string SubscribedAppsEdge = "subscribed_apps";

    /// <summary>
    /// Subscribes the calling app to a WABA's webhooks: <c>POST /{version}/{waba-id}/subscribed_apps</c> with no body.
    /// Solution providers call it once per client WABA. It also removes a WABA-level override, if one was set.
    /// </summary>
    /// <param name="wabaId">The WhatsApp Business Account id.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException"><paramref name="wabaId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task SubscribeWabaAsync(string wabaId, CancellationToken cancellationToken = default)
    {
        RequireId(wabaId, nameof(wabaId));
        var token = RequireAccessToken();
        var path = PathOf(wabaId, SubscribedAppsEdge);
        var url = UrlOf(path);
        return SendForSuccessAsync(() => WithBearer(new HttpRequestMessage(HttpMethod.Post, url), token), "POST " + path, cancellationToken);
    }

    /// <summary>
    /// Sets a WABA-level alternate callback for <c>messages</c> webhooks: <c>POST /{version}/{waba-id}/subscribed_apps</c>
    /// with <c>{"override_callback_uri", "verify_token"}</c>. Meta sends a verification GET to the URI first.
    /// </summary>
    /// <param name="wabaId">The WhatsApp Business Account id.</param>
    /// <param name="overrideCallbackUri">An absolute https (or http) URL of at most 200 characters.</param>
    /// <param name="verifyToken">The verify token Meta echoes in the verification GET.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="wabaId"/> or <paramref name="verifyToken"/> is missing, or <paramref name="overrideCallbackUri"/> is
    /// not an absolute http(s) URL or is longer than 200 characters. Nothing is sent then.
    /// </exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task SetWabaOverrideAsync(string wabaId, string overrideCallbackUri, string verifyToken, CancellationToken cancellationToken = default)
    {
        RequireId(wabaId, nameof(wabaId));
        CallbackUri.RequireOverride(overrideCallbackUri, nameof(overrideCallbackUri));
        ArgumentException.ThrowIfNullOrEmpty(verifyToken);
        var token = RequireAccessToken();
        var path = PathOf(wabaId, SubscribedAppsEdge);
        var url = UrlOf(path);
        var body = new WabaOverrideBody(overrideCallbackUri, verifyToken);
        return SendForSuccessAsync(
            () => WithBearer(new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body, GraphJsonContext.Default.WabaOverrideBody) }, token),
            "POST " + path,
            cancellationToken,
            verifyToken);
    }

    /// <summary>
    /// Removes the WABA-level override, so <c>messages</c> go to the app's callback again. Meta's way is to POST
    /// <c>subscribed_apps</c> again with no body, so this sends exactly what <see cref="SubscribeWabaAsync"/> sends.
    /// </summary>
    /// <param name="wabaId">The WhatsApp Business Account id.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException"><paramref name="wabaId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task RemoveWabaOverrideAsync(string wabaId, CancellationToken cancellationToken = default) =>
        SubscribeWabaAsync(wabaId, cancellationToken);

    /// <summary>Lists the apps subscribed to a WABA, with any override: <c>GET /{version}/{waba-id}/subscribed_apps</c>.</summary>
    /// <param name="wabaId">The WhatsApp Business Account id.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <returns>Meta's <c>data</c>; empty when no app is subscribed. Watch it: an app missing here gets no webhooks.</returns>
    /// <exception cref="ArgumentException"><paramref name="wabaId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request or answered unreadably.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public async Task<IReadOnlyList<WabaSubscribedApp>> GetWabaSubscriptionsAsync(string wabaId, CancellationToken cancellationToken = default)
    {
        RequireId(wabaId, nameof(wabaId));
        var token = RequireAccessToken();
        var path = PathOf(wabaId, SubscribedAppsEdge);
        var url = UrlOf(path);
        var list = await _transport.SendAsync(
            () => WithBearer(new HttpRequestMessage(HttpMethod.Get, url), token),
            "GET " + path,
            GraphJsonContext.Default.GraphListWabaSubscribedApp,
            cancellationToken).ConfigureAwait(false);
        return list.Data ?? [];
    }

    /// <summary>Unsubscribes the calling app from a WABA: <c>DELETE /{version}/{waba-id}/subscribed_apps</c>.</summary>
    /// <param name="wabaId">The WhatsApp Business Account id.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException"><paramref name="wabaId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task UnsubscribeWabaAsync(string wabaId, CancellationToken cancellationToken = default)
    {
        RequireId(wabaId, nameof(wabaId));
        var token = RequireAccessToken();
        var path = PathOf(wabaId, SubscribedAppsEdge);
        var url = UrlOf(path);
        return SendForSuccessAsync(() => WithBearer(new HttpRequestMessage(HttpMethod.Delete, url), token), "DELETE " + path, cancellationToken);
    }
}
