using System.Globalization;

namespace WabaHooks.Graph;

/// <content>App-level subscriptions: <c>/{version}/{app-id}/subscriptions</c>, with an app access token.</content>
public sealed partial class GraphClient
{
    private const string SubscriptionsEdge = "subscriptions";

    /// <summary>
    /// Subscribes the app to <c>whatsapp_business_account</c> webhooks: <c>POST /{version}/{app-id}/subscriptions</c>.
    /// Meta sends a verification GET to <paramref name="callbackUrl"/> before it answers.
    /// </summary>
    /// <param name="appId">Meta's app id.</param>
    /// <param name="callbackUrl">Where Meta delivers; an absolute https (or http) URL.</param>
    /// <param name="verifyToken">The verify token Meta echoes in the verification GET.</param>
    /// <param name="fields">The fields, such as <c>messages</c> and <c>calls</c> (Meta's names: <see cref="Payloads.WhatsAppFields.Documented"/>); sent as a comma list.</param>
    /// <param name="includeValues">Meta's <c>include_values</c>: send changed values, not only field names. Default <see langword="true"/>.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException">An id, URL, token or field is missing or malformed, or no field is given.</exception>
    /// <exception cref="InvalidOperationException">No app access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task SubscribeAppAsync(
        string appId,
        string callbackUrl,
        string verifyToken,
        IEnumerable<string> fields,
        bool includeValues = true,
        CancellationToken cancellationToken = default)
    {
        RequireId(appId, nameof(appId));
        CallbackUri.RequireAbsoluteHttp(callbackUrl, nameof(callbackUrl));
        ArgumentException.ThrowIfNullOrEmpty(verifyToken);
        ArgumentNullException.ThrowIfNull(fields);
        var fieldList = FieldList(fields, nameof(fields))!;
        var token = RequireAppAccessToken();
        var path = PathOf(appId, SubscriptionsEdge);

        return SendForSuccessAsync(
            () => new HttpRequestMessage(HttpMethod.Post, UrlOf(path))
            {
                Content = new FormUrlEncodedContent(
                [
                    new("object", WhatsAppBusinessAccountObject),
                    new("callback_url", callbackUrl),
                    new("verify_token", verifyToken),
                    new("fields", fieldList),
                    new("include_values", includeValues ? "true" : "false"),
                    new("access_token", token),
                ]),
            },
            "POST " + path,
            cancellationToken,
            verifyToken);
    }

    /// <summary>Lists the app's subscriptions, every object included: <c>GET /{version}/{app-id}/subscriptions</c>.</summary>
    /// <param name="appId">Meta's app id.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <returns>Meta's <c>data</c>; look for <see cref="AppSubscription.Object"/> = <c>whatsapp_business_account</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="appId"/> is missing.</exception>
    /// <exception cref="InvalidOperationException">No app access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request or answered unreadably.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public async Task<IReadOnlyList<AppSubscription>> GetAppSubscriptionsAsync(string appId, CancellationToken cancellationToken = default)
    {
        RequireId(appId, nameof(appId));
        var token = RequireAppAccessToken();
        var path = PathOf(appId, SubscriptionsEdge);
        var url = UrlOf(path, [new("access_token", token)]);

        var list = await _transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, url),
            "GET " + path,
            GraphJsonContext.Default.GraphListAppSubscription,
            cancellationToken).ConfigureAwait(false);
        return list.Data ?? [];
    }

    /// <summary>
    /// Removes the app's <c>whatsapp_business_account</c> subscription, or only some fields of it:
    /// <c>DELETE /{version}/{app-id}/subscriptions</c>.
    /// </summary>
    /// <param name="appId">Meta's app id.</param>
    /// <param name="fields">The fields to remove; <see langword="null"/> removes the whole subscription.</param>
    /// <param name="cancellationToken">Cancels the call, retry waits included.</param>
    /// <exception cref="ArgumentException"><paramref name="appId"/> is missing, or a field is blank or holds a comma, or <paramref name="fields"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No app access token is configured.</exception>
    /// <exception cref="GraphApiException">The Graph API refused the request, or did not answer <c>success: true</c>.</exception>
    /// <exception cref="TimeoutException">Every attempt timed out.</exception>
    /// <exception cref="HttpRequestException">The last attempt could not reach the Graph API.</exception>
    public Task UnsubscribeAppAsync(string appId, IEnumerable<string>? fields = null, CancellationToken cancellationToken = default)
    {
        RequireId(appId, nameof(appId));
        var fieldList = FieldList(fields, nameof(fields));
        var token = RequireAppAccessToken();
        var path = PathOf(appId, SubscriptionsEdge);

        List<KeyValuePair<string, string>> query = [new("object", WhatsAppBusinessAccountObject)];
        if (fieldList is not null)
        {
            query.Add(new("fields", fieldList));
        }

        query.Add(new("access_token", token));
        var url = UrlOf(path, query);
        return SendForSuccessAsync(() => new HttpRequestMessage(HttpMethod.Delete, url), "DELETE " + path, cancellationToken);
    }

    private static string? FieldList(IEnumerable<string>? fields, string parameterName)
    {
        if (fields is null)
        {
            return null;
        }

        var list = fields.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one field is required, such as messages.", parameterName);
        }

        foreach (var field in list)
        {
            if (string.IsNullOrWhiteSpace(field) || field.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"A field name must be non-empty and without commas; got '{field}'."),
                    parameterName);
            }
        }

        return string.Join(',', list.Select(f => f.Trim()));
    }
}
