namespace WabaHooks.Hosting;

/// <summary>
/// The names WabaHooks asks <see cref="System.Net.Http.IHttpClientFactory"/> for. Configure a client under its name to
/// add a proxy, a client certificate or telemetry handlers, for example
/// <c>services.AddHttpClient(WabaHooksHttpClients.Graph).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { Proxy = proxy })</c>.
/// </summary>
/// <remarks>
/// <para>
/// WabaHooks sets what its own guarantees need and nothing else: each request's deadline is enforced by WabaHooks (a
/// destination's <c>Timeout</c>, the Graph client's <c>RequestTimeout</c>), so <see cref="System.Net.Http.HttpClient.Timeout"/>
/// is set to infinite on every client it creates. The Graph client retries by itself (see <c>GraphClientOptions</c>) and
/// destinations retry from their stored schedule, so adding a resilience handler to these clients would retry twice.
/// </para>
/// <para>
/// Each destination has a name of its own, <see cref="DestinationPrefix"/> followed by the destination's name, rather
/// than one name for all: destinations are different receivers that may each need their own proxy or client
/// certificate (a partner's mutual TLS, say), and separate clients keep separate connection pools, so one slow
/// receiver never holds connections another needs.
/// </para>
/// </remarks>
public static class WabaHooksHttpClients
{
    /// <summary>The client the Graph API client and the subscription watchdog use: <c>WabaHooks.Graph</c>.</summary>
    public const string Graph = "WabaHooks.Graph";

    /// <summary>What every destination's client name starts with: <c>WabaHooks.Destination.</c>.</summary>
    /// <remarks>
    /// Whatever primary handler such a client ends up with, WabaHooks turns off redirects and cookies on it when it is a
    /// <see cref="System.Net.Http.SocketsHttpHandler"/> or an <see cref="System.Net.Http.HttpClientHandler"/>: a 3xx is a
    /// failed delivery, never a signed body re-sent somewhere else.
    /// </remarks>
    public const string DestinationPrefix = "WabaHooks.Destination.";

    /// <summary>The client name of the destination named <paramref name="destinationName"/>, such as <c>WabaHooks.Destination.crm</c>.</summary>
    /// <param name="destinationName">The destination's <c>Name</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="destinationName"/> is null or empty.</exception>
    public static string Destination(string destinationName)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationName);
        return DestinationPrefix + destinationName;
    }
}
