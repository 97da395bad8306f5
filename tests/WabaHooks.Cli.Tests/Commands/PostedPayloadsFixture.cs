using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WabaHooks.Cli.Commands;
using WabaHooks.Signatures;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// One real <c>serve</c> for a test class, fed signed deliveries by <see cref="SeedAsync"/>. The processor splits them
/// after the 200, in the background, so seeding waits until it has committed every one.
/// </summary>
public abstract class PostedPayloadsFixture : IAsyncLifetime
{
    public const string AppId = "555";
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly TimeSpan ProcessingTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };
    private CliProcess? _serve;
    private Uri? _callback;
    private int _posted;

    public string DataDir => _dir.Combine("data");

    public async ValueTask InitializeAsync()
    {
        (_serve, _callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", DataDir, "--verify-token", "t", "--app-secret", AppId + ":" + Secret], _dir.Path);
        await SeedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _client.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <c>wabahooks</c> against this fixture's store.</summary>
    public Task<CliResult> RunAsync(params string[] arguments) => CliProcess.RunAsync([.. arguments, "--data-dir", DataDir], _dir.Path);

    /// <summary>Runs a command with <c>--json</c>, expects success, and parses what it printed.</summary>
    public async Task<JsonElement> RunJsonAsync(params string[] arguments)
    {
        var result = await RunAsync([.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    protected abstract Task SeedAsync();

    /// <summary>Posts one body, signed with the app secret, and expects Meta's 200.</summary>
    protected async Task PostAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _posted++;
    }

    /// <summary>Every event in the store, newest first.</summary>
    protected async Task<IReadOnlyList<StoredEvent>> ListEventsAsync()
    {
        await using var store = new WabaHooks.Sqlite.SqliteStore(WabaHooks.Sqlite.SqliteStoreOptions.ForDataDirectory(DataDir));
        return await store.ListEventsAsync(new EventQuery { Limit = 10_000 }, CancellationToken.None);
    }

    /// <summary>Waits, bounded, until the processor has committed every delivery posted so far.</summary>
    protected async Task WaitUntilProcessedAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using (var store = File.Exists(Path.Combine(DataDir, "wabahooks.db")) ? new WabaHooks.Sqlite.SqliteStore(WabaHooks.Sqlite.SqliteStoreOptions.ForDataDirectory(DataDir)) : null)
            {
                IReadOnlyList<DeliveryOutcome> outcomes = store is null ? [] : await store.ListDeliveryOutcomesAsync(_posted + 1, null, CancellationToken.None);
                if (outcomes.Count >= _posted)
                {
                    return;
                }

                if (clock.Elapsed > ProcessingTimeout)
                {
                    throw new TimeoutException(
                        $"The processor committed {outcomes.Count} of {_posted} deliveries within {ProcessingTimeout}.\nserve stdout:\n{_serve?.StandardOutput}\nstderr:\n{_serve?.StandardError}");
                }
            }

            await Task.Delay(100);
        }
    }
}
