using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class ServeTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const string Token = "configured-verify-token-7781";
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DataDir => _dir.Combine("data");

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    private static HttpRequestMessage SignedPost(Uri url, byte[] body, string secret = Secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, secret));
        return request;
    }

    private string[] Args(params string[] more) => ["--urls", "http://127.0.0.1:0", "--data-dir", DataDir, .. more];

    [Fact]
    public async Task Without_configuration_it_generates_a_token_and_secret_once_and_keeps_them_owner_only()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(Args(), _dir.Path);
        await using (serve)
        {
            var file = Path.Combine(DataDir, "local-credentials.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            using var stored = JsonDocument.Parse(await File.ReadAllBytesAsync(file, Ct));
            var token = stored.RootElement.GetProperty("verifyToken").GetString()!;
            var secret = stored.RootElement.GetProperty("appSecret").GetString()!;
            Assert.Contains(token, serve.StandardOutput, StringComparison.Ordinal);
            Assert.Contains(secret, serve.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("will be REFUSED", serve.StandardOutput, StringComparison.Ordinal);

            var verify = await _client.GetAsync($"{callback}?hub.mode=subscribe&hub.challenge=42&hub.verify_token={token}", Ct);
            Assert.Equal("42", await verify.Content.ReadAsStringAsync(Ct));
            var post = await _client.SendAsync(SignedPost(callback, ExamplePayloads.Read("messages-text.json"), secret), Ct);
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        var (again, _) = await CliProcess.StartServeAsync(Args(), _dir.Path);
        await using (again)
        {
            using var stored = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(DataDir, "local-credentials.json"), Ct));
            Assert.Contains(stored.RootElement.GetProperty("verifyToken").GetString()!, again.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Settings_come_from_the_config_file_then_environment_then_command_line()
    {
        var config = _dir.Combine("wabahooks.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["WabaHooks"] = new Dictionary<string, object>
            {
                ["VerifyToken"] = "from-file",
                ["AppSecrets"] = new[] { "app-1:" + Secret },
                ["Serve"] = new Dictionary<string, object> { ["Path"] = "/from-file" },
                ["Sqlite"] = new Dictionary<string, object> { ["DataDirectory"] = DataDir },
            },
        }), Ct);
        var environment = new Dictionary<string, string> { ["WABAHOOKS__SERVE__PATH"] = "/from-env", ["WabaHooks__VerifyToken"] = "from-env" };

        var (serve, callback) = await CliProcess.StartServeAsync(["--config", config, "--urls", "http://127.0.0.1:0", "--verify-token", Token], _dir.Path, environment);
        await using (serve)
        {
            Assert.Equal("/from-env", callback.AbsolutePath);
            var verify = await _client.GetAsync($"{callback}?hub.mode=subscribe&hub.challenge=7&hub.verify_token={Token}", Ct);
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(SignedPost(callback, "{}"u8.ToArray()), Ct)).StatusCode);
            Assert.DoesNotContain("REFUSED", serve.StandardOutput, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(DataDir, "local-credentials.json")));
        }

        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
        Assert.Equal("app-1", Assert.Single(await store.ListAsync(10, null, Ct)).AppId);
    }

    [Fact]
    public async Task Several_app_secrets_are_accepted_and_each_delivery_records_its_app()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(Args("--verify-token", Token, "--app-secret", "111:" + Secret, "--app-secret", "222:" + new string('f', 32)), _dir.Path);
        await using (serve)
        {
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(SignedPost(callback, "{\"a\":1}"u8.ToArray(), Secret), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(SignedPost(callback, "{\"a\":2}"u8.ToArray(), new string('f', 32)), Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(SignedPost(callback, "{\"a\":3}"u8.ToArray(), new string('e', 32)), Ct)).StatusCode);
        }

        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
        Assert.Equal(["222", "111"], (await store.ListAsync(10, null, Ct)).Select(d => d.AppId));
    }

    [Fact]
    public async Task Refusals_are_logged_one_line_each_without_any_secret_token_or_body()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(Args("--verify-token", Token, "--app-secret", Secret), _dir.Path);
        await using (serve)
        {
            var body = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account\",\"secret-body-marker\":1}");
            await _client.SendAsync(SignedPost(callback, body, "ffffffffffffffffffffffffffffffff"), Ct);
            await _client.GetAsync($"{callback}?hub.mode=subscribe&hub.challenge=1&hub.verify_token={Token}x", Ct);
            await _client.SendAsync(SignedPost(callback, body), Ct);
            await _client.SendAsync(new HttpRequestMessage(HttpMethod.Put, callback), Ct);

            serve.Terminate();
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            var output = serve.StandardOutput + serve.StandardError;
            Assert.Equal(3, output.Split('\n').Count(l => l.Contains("Refused", StringComparison.Ordinal)));
            Assert.Contains(output.Split('\n'), l => l.Contains("Refused POST", StringComparison.Ordinal) && l.Contains("401", StringComparison.Ordinal) && l.Contains("127.0.0.1", StringComparison.Ordinal));
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-body-marker", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sigterm_commits_deliveries_in_flight_and_exits_cleanly()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(Args("--verify-token", Token, "--app-secret", Secret), _dir.Path);
        var acknowledged = new List<string>();
        await using (serve)
        {
            var sends = Enumerable.Range(0, 100).Select(async i =>
            {
                var body = $"{{\"object\":\"whatsapp_business_account\",\"entry\":[],\"n\":{i}}}";
                try
                {
                    var response = await _client.SendAsync(SignedPost(callback, Encoding.UTF8.GetBytes(body)), Ct);
                    return response.StatusCode == HttpStatusCode.OK ? body : null;
                }
                catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException)
                {
                    // A SIGTERM racing the connect sometimes surfaces as a bare SocketException: not acknowledged either way.
                    return null;
                }
            }).ToList();
            serve.Terminate();
            acknowledged.AddRange((await Task.WhenAll(sends)).OfType<string>());
            Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
        var stored = await StoredBodiesAsync(store);
        Assert.Subset(stored, acknowledged.ToHashSet());
    }

    [Fact]
    public async Task A_crash_loses_no_delivery_that_was_answered_200()
    {
        var args = Args("--verify-token", Token, "--app-secret", Secret);
        var (serve, callback) = await CliProcess.StartServeAsync(args, _dir.Path);
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        await using (serve)
        {
            using var stopSending = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var next = 0;
            var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stopSending.IsCancellationRequested)
                {
                    var body = $"{{\"object\":\"whatsapp_business_account\",\"entry\":[],\"n\":{Interlocked.Increment(ref next)}}}";
                    try
                    {
                        var response = await _client.SendAsync(SignedPost(callback, Encoding.UTF8.GetBytes(body)), stopSending.Token);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.TryAdd(body, 0);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        return;
                    }
                }
            }, Ct)).ToList();

            // Let acknowledged deliveries pile up, then pull the plug mid-stream.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (acknowledged.Count < 300 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, Ct);
            }

            serve.Kill();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} deliveries were acknowledged before the crash");
        var (restarted, _) = await CliProcess.StartServeAsync(args, _dir.Path);
        await using (restarted)
        {
            await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
            var stored = await StoredBodiesAsync(store);
            var missing = acknowledged.Keys.Where(b => !stored.Contains(b)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged deliveries were lost, e.g. {missing.FirstOrDefault()}");
        }
    }

    private static async Task<HashSet<string>> StoredBodiesAsync(SqliteStore store)
    {
        var result = new HashSet<string>();
        foreach (var summary in await store.ListAsync(100_000, null, Ct))
        {
            var delivery = await store.GetAsync(summary.Id, Ct);
            result.Add(Encoding.UTF8.GetString(delivery!.Body.Span));
        }

        return result;
    }
}
