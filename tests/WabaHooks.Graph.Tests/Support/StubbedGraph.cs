using WabaHooks.Testing.Graph;

namespace WabaHooks.Graph.Tests.Support;

/// <summary>A started Graph stub and a client pointed at it, with backoff short enough for tests.</summary>
internal sealed class StubbedGraph : IAsyncDisposable
{
    private readonly HttpClient _httpClient;

    private StubbedGraph(GraphStub stub, HttpClient httpClient, GraphClient client)
    {
        Stub = stub;
        _httpClient = httpClient;
        Client = client;
    }

    public GraphStub Stub { get; }

    public GraphClient Client { get; }

    public IReadOnlyList<GraphRequest> Requests => Stub.Requests;

    public static async Task<StubbedGraph> StartAsync(Action<GraphClientOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var stub = await GraphStub.StartAsync(TestContext.Current.CancellationToken);
        var options = TestOptions(stub.BaseUrl);
        configure?.Invoke(options);

        // HttpClient's own timeout is a backstop: no test may wait on the network for long.
        var httpClient = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return new StubbedGraph(stub, httpClient, ClientWithoutEnvironment(httpClient, options, timeProvider));
    }

    /// <summary>
    /// A client that reads no environment variable, so a <c>WABAHOOKS_ACCESS_TOKEN</c> on the machine running the tests
    /// changes nothing: a token is there only when the test configures one.
    /// </summary>
    public static GraphClient ClientWithoutEnvironment(HttpClient httpClient, GraphClientOptions options, TimeProvider? timeProvider = null) =>
        new(() => httpClient, options, timeProvider, static _ => null);

    public static GraphClientOptions TestOptions(Uri baseUrl) => new()
    {
        BaseUrl = baseUrl,
        AccessToken = GraphStub.AccessToken,
        AppAccessToken = GraphStub.AppAccessToken,
        BackoffBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public async ValueTask DisposeAsync()
    {
        _httpClient.Dispose();
        await Stub.DisposeAsync();
    }
}
