using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using WabaHooks.Events;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Support;

/// <summary>
/// One real <c>wabahooks serve</c> for a test class, run with a <c>--config</c> file of destinations that point at
/// <see cref="DestinationServer"/>s of the subclass, and fed signed example deliveries. Commands run against the same
/// configuration file and data dir, as an operator would run them beside serve.
/// </summary>
public abstract class DestinationGatewayFixture : IAsyncLifetime
{
    public const string AppSecret = "0123456789abcdef0123456789abcdef";

    /// <summary>How long any wait on serve or a destination may take: generous, as the test machine is shared.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };
    private readonly List<DestinationServer> _servers = [];
    private CliProcess? _serve;
    private Uri? _callback;

    public string DataDir => _dir.Combine("data");

    public string ConfigPath => _dir.Combine("wabahooks.json");

    /// <summary>What serve printed so far, for failure messages.</summary>
    public string ServeOutput => $"serve stdout:\n{_serve?.StandardOutput}\nserve stderr:\n{_serve?.StandardError}";

    public async ValueTask InitializeAsync()
    {
        DestinationConfig.Write(ConfigPath, await CreateDestinationsAsync());
        (_serve, _callback) = await CliProcess.StartServeAsync(
            ["--config", ConfigPath, "--urls", "http://127.0.0.1:0", "--data-dir", DataDir, "--verify-token", "t", "--app-secret", AppSecret], _dir.Path);
        await SeedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _client.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <c>wabahooks</c> with this fixture's <c>--config</c> and <c>--data-dir</c>.</summary>
    public Task<CliResult> RunAsync(params string[] arguments) =>
        CliProcess.RunAsync([.. arguments, "--config", ConfigPath, "--data-dir", DataDir], _dir.Path, timeout: TimeSpan.FromSeconds(90));

    /// <summary>Runs a command with <c>--json</c>, expects success, and parses what it printed.</summary>
    public async Task<JsonElement> RunJsonAsync(params string[] arguments)
    {
        var result = await RunAsync([.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        DestinationConfig.AssertNoSecretIn(result.AllOutput());
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>The events of an example payload, keyed as the gateway keys them.</summary>
    public static IReadOnlyList<WabaEvent> EventsOf(string payload) => DeliverySplitter.Split(ExamplePayloads.Read(payload), 0).Events;

    /// <summary>One destination's counts and health as the store has them; null before it has any work.</summary>
    public async Task<SinkBacklog?> BacklogAsync(string destination)
    {
        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
        return (await store.GetBacklogAsync(CancellationToken.None)).SingleOrDefault(b => b.Sink == "destination:" + destination);
    }

    /// <summary>How many attempts the store has recorded for (event, destination).</summary>
    public async Task<int> AttemptCountAsync(string eventId, string destination)
    {
        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
        return (await store.ListAttemptsAsync(eventId, "destination:" + destination, CancellationToken.None)).Count;
    }

    /// <summary>Whether the store holds work for (event, destination), whatever its state: whether it was ever queued.</summary>
    public async Task<bool> HasWorkAsync(string eventId, string destination)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDir, "wabahooks.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sink_work WHERE event_id = $event AND sink = $sink;";
        command.Parameters.AddWithValue("$event", eventId);
        command.Parameters.AddWithValue("$sink", "destination:" + destination);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Waits, bounded, until a destination's backlog satisfies <paramref name="condition"/>.</summary>
    public async Task<SinkBacklog> WaitForBacklogAsync(string destination, Func<SinkBacklog, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (File.Exists(Path.Combine(DataDir, "wabahooks.db")) && await BacklogAsync(destination) is { } backlog && condition(backlog))
            {
                return backlog;
            }

            if (clock.Elapsed > Bound)
            {
                throw new TimeoutException($"Waited {Bound} for {what}; the backlog is {await BacklogAsync(destination)}.\n{ServeOutput}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Starts a destination server that the fixture disposes.</summary>
    protected async Task<DestinationServer> StartServerAsync()
    {
        var server = await DestinationServer.StartAsync();
        _servers.Add(server);
        return server;
    }

    /// <summary>Starts the destination servers and returns the destinations for the configuration file.</summary>
    protected abstract Task<IReadOnlyList<JsonObject>> CreateDestinationsAsync();

    /// <summary>Posts deliveries and waits for what they cause.</summary>
    protected abstract Task SeedAsync();

    /// <summary>Posts one example payload, signed with the app secret as Meta signs, and expects Meta's 200.</summary>
    protected async Task PostAsync(string payload)
    {
        var body = ExamplePayloads.Read(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, _callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, AppSecret));
        using var response = await _client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{payload}: HTTP {(int)response.StatusCode}\n{ServeOutput}");
    }
}
