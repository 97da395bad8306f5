using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class PostgresServeTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Serve_on_postgres_stores_deliveries_and_events_that_every_command_reads_with_postgres()
    {
        var database = await postgres.CreateDatabaseAsync();
        var migrate = await CliProcess.RunAsync(["migrate", "--postgres", database], _dir.Path);
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("PostgreSQL store", migrate.StandardOutput, StringComparison.Ordinal);

        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret],
            _dir.Path, new Dictionary<string, string> { ["WABAHOOKS__POSTGRES__CONNECTIONSTRING"] = database });
        await using (serve)
        {
            // The banner's Store line follows the Callback URL line StartServeAsync waited for.
            Assert.Contains("Store:         PostgreSQL", await serve.WaitForOutputAsync("Store:", TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            foreach (var name in new[] { "messages-text.json", "messages-status-read.json", "account_update-deleted.json" })
            {
                var body = ExamplePayloads.Read(name);
                var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, Ct)).StatusCode);
            }

            var ready = await client.GetAsync(new Uri(callback, "/readyz"), Ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            var deliveries = await CliProcess.RunAsync(["deliveries", "list", "--json", "--postgres", database], _dir.Path);
            using (var json = JsonDocument.Parse(deliveries.StandardOutput))
            {
                Assert.Equal(3, json.RootElement.GetArrayLength());
            }

            // The processor runs behind the 200s: wait, bounded, for the three events.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            string[] types = [];
            while (types.Length < 3 && DateTime.UtcNow < deadline)
            {
                var events = await CliProcess.RunAsync(["events", "list", "--json", "--postgres", database], _dir.Path);
                using var json = JsonDocument.Parse(events.StandardOutput);
                types = [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];
                await Task.Delay(100, Ct);
            }

            Assert.Equal(["account_update", "statuses.read", "messages.text"], types);
        }

        Assert.False(File.Exists(Path.Combine(_dir.Combine("data"), "wabahooks.db")));
    }

    [Fact]
    public async Task An_invalid_postgres_connection_string_stops_start_up()
    {
        var result = await CliProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret, "--postgres", "Host=;Nonsense Key=1"],
            _dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Postgres:ConnectionString is not a valid Npgsql connection string", result.StandardError, StringComparison.Ordinal);
    }
}
