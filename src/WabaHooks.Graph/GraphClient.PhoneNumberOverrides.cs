namespace WabaHooks.Graph;

/// <content>Phone-number-level overrides: <c>/{version}/{phone-number-id}</c>, with a Bearer token.</content>
public sealed partial class GraphClient
{
    /// <summary>
    /// Sets a phone-number-level alternate callback for <c>messages</c> webhooks: <c>POST /{version}/{phone-number-id}</c>
    /// with <c>{"webhook_configuration": {"override_callback_uri", "verify_token"}}</c>. The app must already be
    /// subscribed to the number's WABA; Meta sends a verification GET to the URI first.
    /// </summary>
    /// <param name="phoneNumberId">The phone-number id (not the display number).</param>
    /// <param name="overrideCallbackUri">An absolute https (or http) URL of at most 200 characters.</param>
    /// <param name="verifyToken">The verify token Meta echoes in the verification GET.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="phoneNumberId"/> or <paramref name="verifyToken"/> is missing, or <paramref name="overrideCallbackUri"/>
    /// is not an absolute http(s) URL or is longer than 200 characters. Nothing is sent then.
    /// </exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task SetPhoneNumberOverrideAsync(string phoneNumberId, string overrideCallbackUri, string verifyToken, CancellationToken cancellationToken = default)
    {
        CallbackUri.RequireOverride(overrideCallbackUri, nameof(overrideCallbackUri));
        ArgumentException.ThrowIfNullOrEmpty(verifyToken);
        return PostPhoneNumberOverrideAsync(phoneNumberId, new PhoneNumberOverride(overrideCallbackUri, verifyToken), cancellationToken);
    }

    /// <summary>
    /// Removes the phone-number-level override: <c>POST /{version}/{phone-number-id}</c> with an empty
    /// <c>override_callback_uri</c>, as Meta documents.
    /// </summary>
    /// <param name="phoneNumberId">The phone-number id.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException"><paramref name="phoneNumberId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task RemovePhoneNumberOverrideAsync(string phoneNumberId, CancellationToken cancellationToken = default) =>
        PostPhoneNumberOverrideAsync(phoneNumberId, new PhoneNumberOverride("", VerifyToken: null), cancellationToken);

    /// <summary>
    /// Reads which callback each level sets for a phone number:
    /// <c>GET /{version}/{phone-number-id}?fields=webhook_configuration</c>.
    /// </summary>
    /// <param name="phoneNumberId">The phone-number id.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException"><paramref name="phoneNumberId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request or answered unreadably.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task<PhoneNumberWebhookConfiguration> GetPhoneNumberWebhookConfigurationAsync(string phoneNumberId, CancellationToken cancellationToken = default)
    {
        RequireId(phoneNumberId, nameof(phoneNumberId));
        var token = RequireAccessToken();
        var path = PathOf(phoneNumberId);
        var url = UrlOf(path, [new("fields", "webhook_configuration")]);
        return _transport.SendAsync(
            () => WithBearer(new HttpRequestMessage(HttpMethod.Get, url), token),
            "GET " + path,
            GraphJsonContext.Default.PhoneNumberWebhookConfiguration,
            cancellationToken);
    }

    private Task PostPhoneNumberOverrideAsync(string phoneNumberId, PhoneNumberOverride configuration, CancellationToken cancellationToken)
    {
        RequireId(phoneNumberId, nameof(phoneNumberId));
        var token = RequireAccessToken();
        var path = PathOf(phoneNumberId);
        var url = UrlOf(path);
        var body = new PhoneNumberOverrideBody(configuration);
        return SendForSuccessAsync(
            () => WithBearer(new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body, GraphJsonContext.Default.PhoneNumberOverrideBody) }, token),
            "POST " + path,
            cancellationToken,
            configuration.VerifyToken);
    }
}
