using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class ServeConfigurationTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private async Task<CliResult> ServeExpectingFailureAsync(params string[] args)
    {
        var all = new List<string> { "serve" };
        foreach (var (option, value) in new[] { ("--data-dir", _dir.Combine("data")), ("--verify-token", "t"), ("--app-secret", Secret) })
        {
            if (!args.Contains(option))
            {
                all.AddRange([option, value]);
            }
        }

        var result = await CliProcess.RunAsync([.. all, .. args], _dir.Path, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\nstdout:{result.StandardOutput}\nstderr:{result.StandardError}");
        Assert.DoesNotContain("Callback URL", result.StandardOutput, StringComparison.Ordinal);
        return result;
    }

    public static TheoryData<string[], string> SingleProblems() => new()
    {
        { ["--urls", "ftp://127.0.0.1:21"], "each address must be http://HOST:PORT" },
        { ["--urls", "https://127.0.0.1:0"], "https:// address but no certificate" },
        { ["--urls", "http://127.0.0.1:0", "--https-cert", "cert.pem"], "--https-cert and --https-key go together" },
        { ["--urls", "https://127.0.0.1:0", "--https-cert", "missing.pem", "--https-key", "missing.key"], "does not exist or cannot be read" },
        { ["--urls", "http://127.0.0.1:0", "--max-body-bytes", "lots"], "WabaHooks:MaxBodyBytes is 'lots': expected a whole number" },
        { ["--urls", "http://127.0.0.1:0", "--max-body-bytes", "1000"], "MaxBodyBytes is 1000: it must be at least 1024" },
        { ["--urls", "http://127.0.0.1:0", "--path", "webhook"], "must start with '/'" },
        { ["--urls", "http://127.0.0.1:0", "--config", "nowhere.json"], "does not exist" },
        { ["--urls", "http://127.0.0.1:0", "--app-secret", "app:"], "WabaHooks:AppSecrets:0: give the secret as \"APP_ID:SECRET\"" },
        { ["--urls", "http://127.0.0.1:0", "--verify-token", " "], "--verify-token is empty" },
        { ["--urls", "http://127.0.0.1:0", "--watch-waba-id", "109876543210001"], "Watchdog: watching WABAs needs a Graph token" },
        { ["--urls", "http://127.0.0.1:0", "--watch-waba-id", "my-waba", "--access-token", "t"], "Watchdog: WABA id 'my-waba' is not a number" },
        { ["--urls", "http://127.0.0.1:0", "--subscription-check-interval", "soon"], "WabaHooks:Watchdog:SubscriptionCheckInterval is 'soon': expected a number of seconds" },
        { ["--urls", "http://127.0.0.1:0", "--silence-warning", "-5"], "Watchdog: SilenceWarning cannot be negative" },
        { ["--urls", "http://127.0.0.1:0", "--retention", "30"], "Retention.Deliveries is 00:00:30: give a duration from 00:01:00" },
        { ["--urls", "http://127.0.0.1:0", "--retention", "30"], "Retention.Attempts is 00:00:30" },
        { ["--urls", "http://127.0.0.1:0", "--graph-url", "graph.local"], "WabaHooks:Watchdog:Graph:BaseUrl is 'graph.local': expected an absolute http or https URL" },
    };

    [Theory]
    [MemberData(nameof(SingleProblems))]
    public async Task A_bad_setting_stops_start_up_with_what_to_fix(string[] args, string message)
    {
        var result = await ServeExpectingFailureAsync(args);

        Assert.Contains("cannot start", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_stops_start_up()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await ServeExpectingFailureAsync("--urls", $"http://127.0.0.1:{port}");

        Assert.Contains($"port {port} is already in use", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_dir_that_cannot_be_a_folder_stops_start_up()
    {
        var file = _dir.Combine("a-file");
        await File.WriteAllTextAsync(file, "x", Ct);

        var result = await ServeExpectingFailureAsync("--urls", "http://127.0.0.1:0", "--data-dir", Path.Combine(file, "data"));

        Assert.Contains("is not a writable folder", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_certificate_stops_start_up()
    {
        await File.WriteAllTextAsync(_dir.Combine("cert.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", Ct);
        await File.WriteAllTextAsync(_dir.Combine("key.pem"), "garbage", Ct);

        var result = await ServeExpectingFailureAsync("--urls", "https://127.0.0.1:0", "--https-cert", "cert.pem", "--https-key", "key.pem");

        Assert.Contains("cannot load a certificate and private key", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_stops_start_up()
    {
        await File.WriteAllTextAsync(_dir.Combine("bad.json"), "{ \"DataDir\": ", Ct);

        var result = await ServeExpectingFailureAsync("--urls", "http://127.0.0.1:0", "--config", "bad.json");

        Assert.Contains("is not valid JSON", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await ServeExpectingFailureAsync("--urls", $"http://127.0.0.1:{port}", "--max-body-bytes", "12", "--path", "nope", "--https-key", "k.pem");

        Assert.Contains("4 problems", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("already in use", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("MaxBodyBytes is 12: it must be at least 1024", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("must start with '/'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("go together", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destination_problems_stop_start_up_each_listed_with_what_to_fix()
    {
        await File.WriteAllTextAsync(_dir.Combine("destinations.json"), """
            { "WabaHooks": { "Destinations": [
                { "Name": "crm", "Url": "http://127.0.0.1:9/crm", "Format": "meta", "Types": [ "messages.*" ] },
                { "Name": "analytics", "Url": "http://127.0.0.1:9/a", "Format": "event", "Secret": "plain-secret-8812" },
                { "Name": "billing", "Url": "http://127.0.0.1:9/other", "Format": "xml", "Secret": "s", "Typs": [ "statuses.*" ], "Timeout": "ten" },
                { "Url": "http://127.0.0.1:9/b", "Secret": "s" },
                { "Name": "ops", "Secret": "s" },
                { "Name": "crm", "Url": "http://127.0.0.1:9/crm2", "Secret": "s" } ] } }
            """, Ct);

        var result = await ServeExpectingFailureAsync("--urls", "http://127.0.0.1:0", "--config", "destinations.json");

        Assert.Contains("cannot start — 8 problems to fix:", result.StandardError, StringComparison.Ordinal);
        foreach (var problem in new[]
        {
            "Destination 'crm' has no Secret: set the secret the destination checks X-Hub-Signature-256 with.",
            "Destination 'analytics': A Standard Webhooks secret is whsec_ followed by the base64 of 24 to 64 random bytes",
            "WabaHooks:Destinations:2:Format is 'xml': expected one of meta, event",
            "WabaHooks:Destinations:2:Typs is not a setting. Did you mean Types?",
            "WabaHooks:Destinations:2:Timeout is 'ten': expected a number of seconds",
            "WabaHooks:Destinations:5: the name 'crm' is used twice",
            "WabaHooks:Destinations:3 has no Name: give each destination a stable name",
            "Destination 'ops' has no Url: set the absolute http(s) URL events are POSTed to.",
        })
        {
            Assert.Contains("  - ", result.StandardError, StringComparison.Ordinal);
            Assert.Contains(problem, result.StandardError, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("plain-secret-8812", result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_with_pem_certificate_and_key_serves_the_handshake()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(_dir.Combine("cert.pem"), certificate.ExportCertificatePem(), Ct);
        await File.WriteAllTextAsync(_dir.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem(), Ct);

        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "https://127.0.0.1:0", "--https-cert", "cert.pem", "--https-key", "key.pem", "--data-dir", _dir.Combine("data"), "--verify-token", "tok", "--app-secret", Secret],
            _dir.Path);
        await using (serve)
        {
            Assert.Equal("https", callback.Scheme);
            using var handler = new HttpClientHandler
            {
                // Trust exactly the certificate this test made, nothing else.
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
            var response = await client.GetAsync($"{callback}?hub.mode=subscribe&hub.challenge=99&hub.verify_token=tok", Ct);
            Assert.Equal("99", await response.Content.ReadAsStringAsync(Ct));
        }
    }
}
