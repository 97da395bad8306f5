using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WabaHooks.Hosting;

namespace WabaHooks.Graph;

/// <summary>
/// Manages WhatsApp webhook subscriptions through Meta's Graph API: the app's subscription
/// (<c>/{app-id}/subscriptions</c>), each WABA's <c>subscribed_apps</c>, and callback overrides per WABA and per phone
/// number.
/// </summary>
/// <remarks>
/// <para>
/// Tokens go where Meta's pages show them: the app access token as the <c>access_token</c> parameter of
/// <c>/{app-id}/subscriptions</c> (in the form body for POST, in the query for GET and DELETE, which have no body),
/// and the system-user token as <c>Authorization: Bearer</c> for the WABA and phone-number endpoints, which keeps it
/// out of URLs. Tokens and verify tokens never appear in exception messages or <see cref="object.ToString"/>.
/// </para>
/// <para>
/// Each call runs in a resilience pipeline (Polly, through Microsoft.Extensions.Http.Resilience): 408, 429, 5xx,
/// <c>is_transient</c> errors, timeouts and connection failures are retried up to <see cref="GraphClientOptions.MaxRetries"/>
/// times with exponential backoff and jitter, honouring <c>Retry-After</c> up to <see cref="GraphClientOptions.MaxRetryDelay"/>.
/// Other errors throw <see cref="GraphApiException"/> at once. The client does not own its <see cref="HttpClient"/>; it
/// is thread-safe when the <see cref="HttpClient"/> is.
/// </para>
/// </remarks>
public sealed partial class GraphClient
{
    /// <summary>The Graph <c>object</c> of WhatsApp webhooks: <c>whatsapp_business_account</c>.</summary>
    public const string WhatsAppBusinessAccountObject = "whatsapp_business_account";

    private readonly GraphClientOptions _options;
    private readonly GraphTransport _transport;
    private readonly string? _accessToken;
    private readonly string? _appAccessToken;
    private readonly SecretRedactor _redactor;

    /// <summary>Creates a client that sends through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">
    /// Sends the requests. Its <see cref="HttpClient.BaseAddress"/> is not used; its <see cref="HttpClient.Timeout"/>
    /// should be infinite or longer than all attempts together, since each attempt has its own
    /// <see cref="GraphClientOptions.RequestTimeout"/>.
    /// </param>
    /// <param name="options">Where to send them and how; read once, here. Tokens are resolved now.</param>
    /// <param name="timeProvider">The clock for backoff delays and request timeouts. Default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public GraphClient(HttpClient httpClient, GraphClientOptions options, TimeProvider? timeProvider = null)
        : this(Fixed(httpClient), options, timeProvider, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>
    /// Creates a client that sends through the factory's client named <see cref="WabaHooksHttpClients.Graph"/>, taking a
    /// fresh one for each call so the factory can rotate its handlers. Configure that name to add a proxy, a client
    /// certificate or telemetry handlers.
    /// </summary>
    /// <param name="httpClientFactory">Gives the <see cref="WabaHooksHttpClients.Graph"/> client.</param>
    /// <param name="options">Where to send requests and how; read once, here. Tokens are resolved now.</param>
    /// <param name="timeProvider">The clock for backoff delays and request timeouts. Default <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClientFactory"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public GraphClient(IHttpClientFactory httpClientFactory, GraphClientOptions options, TimeProvider? timeProvider = null)
        : this(FromFactory(httpClientFactory), options, timeProvider, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>The constructor behind both, with the environment as a parameter so tests need not depend on the machine's.</summary>
    internal GraphClient(Func<HttpClient> httpClient, GraphClientOptions options, TimeProvider? timeProvider, Func<string, string?> readEnvironment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("GraphClientOptions are not valid: " + string.Join(" ", errors), nameof(options));
        }

        _options = options.Snapshot();
        _accessToken = _options.ResolveAccessToken(readEnvironment);
        _appAccessToken = _options.ResolveAppAccessToken(readEnvironment);
        _redactor = new SecretRedactor(_accessToken, _appAccessToken);
        _transport = new GraphTransport(httpClient, _options, timeProvider ?? TimeProvider.System, _redactor);
    }

    private static Func<HttpClient> Fixed(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    private static Func<HttpClient> FromFactory(IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        return () =>
        {
            var client = httpClientFactory.CreateClient(WabaHooksHttpClients.Graph);
            // Each attempt has its own deadline (RequestTimeout); the client's default 100 s must not cut retries short.
            client.Timeout = Timeout.InfiniteTimeSpan;
            return client;
        };
    }

    private string RequireAccessToken() =>
        _accessToken ?? throw new InvalidOperationException(
            $"No access token for the WABA and phone-number endpoints: set GraphClientOptions.AccessToken or the {GraphClientOptions.AccessTokenEnvironmentVariable} environment variable to a system-user token with whatsapp_business_management.");

    private string RequireAppAccessToken() =>
        _appAccessToken ?? throw new InvalidOperationException(
            $"No app access token for /{{app-id}}/subscriptions: set GraphClientOptions.AppAccessToken to {{app-id}}|{{app-secret}} (GraphClientOptions.CreateAppAccessToken), or AccessToken or {GraphClientOptions.AccessTokenEnvironmentVariable}.");

    /// <summary>The path of a node or edge: <c>/{version}/{id}[/{edge}]</c>, the id escaped.</summary>
    private string PathOf(string id, string? edge = null)
    {
        var path = "/" + _options.Version + "/" + Uri.EscapeDataString(id);
        return edge is null ? path : path + "/" + edge;
    }

    private Uri UrlOf(string path, IEnumerable<KeyValuePair<string, string>>? query = null)
    {
        var url = new StringBuilder(_options.BaseUrl.AbsoluteUri.TrimEnd('/')).Append(path);
        var separator = '?';
        foreach (var (name, value) in query ?? [])
        {
            url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(url.ToString());
    }

    private static HttpRequestMessage WithBearer(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static StringContent Json<T>(T body, JsonTypeInfo<T> typeInfo) =>
        new(JsonSerializer.Serialize(body, typeInfo), Encoding.UTF8, "application/json");

    /// <summary>Sends a write and insists on <c>{"success": true}</c>.</summary>
    /// <param name="createRequest">Builds a fresh request for each attempt.</param>
    /// <param name="request">Method and path for messages.</param>
    /// <param name="cancellationToken">Cancels the whole call.</param>
    /// <param name="verifyToken">The verify token the request carries, if any: masked in error messages like the tokens.</param>
    private async Task SendForSuccessAsync(Func<HttpRequestMessage> createRequest, string request, CancellationToken cancellationToken, string? verifyToken = null)
    {
        var redactor = verifyToken is null ? null : _redactor.With(verifyToken);
        var answer = await _transport.SendAsync(createRequest, request, GraphJsonContext.Default.GraphSuccess, cancellationToken, redactor).ConfigureAwait(false);
        if (!answer.Success)
        {
            throw new GraphApiException(
                HttpStatusCode.OK,
                $"The Graph API answered {request} without \"success\": true, so the change cannot be assumed to have been made.");
        }
    }

    private static void RequireId(string id, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, parameterName);
    }
}
