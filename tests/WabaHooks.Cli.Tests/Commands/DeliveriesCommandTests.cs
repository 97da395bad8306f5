using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class DeliveriesCommandTests : IAsyncLifetime
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();
    private readonly List<byte[]> _sent = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DataDir => _dir.Combine("data");

    public async ValueTask InitializeAsync()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(["--urls", "http://127.0.0.1:0", "--data-dir", DataDir, "--verify-token", "t", "--app-secret", "555:" + Secret], _dir.Path);
        await using (serve)
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            foreach (var body in new[] { ExamplePayloads.Read("messages-text-unicode.json"), Encoding.UTF8.GetBytes("not json at all"), ExamplePayloads.Read("messages-reaction.json") })
            {
                var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, Ct)).StatusCode);
                _sent.Add(body);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task List_json_prints_one_array_newest_first_with_id_time_app_size_and_flags()
    {
        var result = await CliProcess.RunAsync(["deliveries", "list", "--data-dir", DataDir, "--json"], _dir.Path);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal([3L, 2L, 1L], items.Select(i => i.GetProperty("id").GetInt64()));
        Assert.All(items, i => Assert.Equal("555", i.GetProperty("appId").GetString()));
        Assert.Equal(_sent[2].Length, items[0].GetProperty("length").GetInt32());
        Assert.Equal(["not-json"], items[1].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Empty(items[0].GetProperty("flags").EnumerateArray());
        Assert.True(items[0].GetProperty("receivedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task List_limit_keeps_the_newest()
    {
        var result = await CliProcess.RunAsync(["deliveries", "list", "--data-dir", DataDir, "--json", "--limit", "1"], _dir.Path);

        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(3, json.RootElement.EnumerateArray().Single().GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task List_as_a_table_has_a_header_and_a_row_per_delivery()
    {
        var result = await CliProcess.RunAsync(["deliveries", "list", "--data-dir", DataDir], _dir.Path);

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        Assert.Contains("not-json", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_raw_prints_the_stored_bytes_exactly()
    {
        var (code, output) = await CliProcess.RunForBytesAsync(["deliveries", "show", "1", "--raw", "--data-dir", DataDir], _dir.Path);

        Assert.Equal(0, code);
        Assert.Equal(_sent[0], output);
    }

    [Fact]
    public async Task Show_prints_the_metadata_and_body()
    {
        var result = await CliProcess.RunAsync(["deliveries", "show", "2", "--data-dir", DataDir], _dir.Path);

        Assert.Contains("Flags:     not-json", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("App:       555", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("not json at all", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_of_an_unknown_id_fails_with_a_message()
    {
        var result = await CliProcess.RunAsync(["deliveries", "show", "99", "--data-dir", DataDir], _dir.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no delivery with id 99", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_dir_can_come_from_the_environment()
    {
        var result = await CliProcess.RunAsync(["deliveries", "list", "--json"], _dir.Path, new Dictionary<string, string> { ["WABAHOOKS__SQLITE__DATADIRECTORY"] = DataDir });

        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(3, json.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_data_dir_without_a_store_is_reported_not_created()
    {
        var empty = _dir.Combine("empty");

        var result = await CliProcess.RunAsync(["deliveries", "list", "--data-dir", empty], _dir.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no store at", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(empty, "wabahooks.db")));
    }

    [Fact]
    public async Task Failed_deliveries_are_listed_with_their_reason_and_reprocess_runs_them_again_under_a_running_serve()
    {
        var (serve, _) = await CliProcess.StartServeAsync(["--urls", "http://127.0.0.1:0", "--data-dir", DataDir, "--verify-token", "t", "--app-secret", "555:" + Secret], _dir.Path);
        await using (serve)
        {
            var failed = await ListUntilAsync(["--failed"], items => items.Count == 1);
            Assert.Equal(2, failed[0].GetProperty("id").GetInt64());
            Assert.StartsWith("NotJson", failed[0].GetProperty("parseError").GetString(), StringComparison.Ordinal);
            var table = await CliProcess.RunAsync(["deliveries", "list", "--failed", "--data-dir", DataDir], _dir.Path);
            Assert.Equal(2, table.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            var reprocess = await CliProcess.RunAsync(["deliveries", "reprocess", "--failed", "--data-dir", DataDir], _dir.Path);
            Assert.True(reprocess.ExitCode == 0, reprocess.AllOutput());
            Assert.Contains("1 delivery will be processed again: 2.", reprocess.StandardOutput, StringComparison.Ordinal);

            // By id, a delivery that gave events runs again: the running serve finds them already stored.
            var byId = await CliProcess.RunAsync(["deliveries", "reprocess", "1", "--data-dir", DataDir], _dir.Path);
            Assert.True(byId.ExitCode == 0, byId.AllOutput());
            var all = await ListUntilAsync([], items => items.All(i => i.GetProperty("processed").GetBoolean()) && items[2].GetProperty("duplicates").GetInt32() == 1);
            Assert.Equal(0, all[2].GetProperty("events").GetInt32());
            Assert.StartsWith("NotJson", all[1].GetProperty("parseError").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reprocess_needs_ids_or_failed_and_names_ids_it_cannot_take()
    {
        var neither = await CliProcess.RunAsync(["deliveries", "reprocess", "--data-dir", DataDir], _dir.Path);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("IDs", neither.StandardError, StringComparison.Ordinal);

        var unknown = await CliProcess.RunAsync(["deliveries", "reprocess", "99", "--data-dir", DataDir], _dir.Path);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("delivery 99 is unknown or not processed yet", unknown.StandardError, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>deliveries list --json</c> until <paramref name="done"/> holds.</summary>
    private Task<List<JsonElement>> ListUntilAsync(string[] options, Func<List<JsonElement>, bool> done) =>
        Await.UntilAsync(
            async () =>
            {
                var result = await CliProcess.RunAsync(["deliveries", "list", "--json", "--data-dir", DataDir, .. options], _dir.Path);
                Assert.True(result.ExitCode == 0, result.AllOutput());
                return JsonDocument.Parse(result.StandardOutput).RootElement.EnumerateArray().ToList();
            },
            done,
            "deliveries list to show the expected state",
            TimeSpan.FromSeconds(30));
}
