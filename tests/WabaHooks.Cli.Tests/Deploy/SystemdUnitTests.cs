using System.Net;
using System.Text;
using WabaHooks.Cli.Tests.Packaging;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Deploy;

/// <summary>The systemd unit in deploy/: valid for systemd, hardened, and running serve with flags and files serve really takes.</summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task The_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null)
        {
            // No systemd here: the unit is still read line by line, and every line must be Key=Value in a section.
            Assert.Equal(["Unit", "Service", "Install"], SystemdUnit.Load().Sections);
            return;
        }

        // verify checks that ExecStart's program exists; the tool is installed at deployment, so stand one in.
        var unit = _dir.Combine("wabahooks.service");
        var text = await File.ReadAllTextAsync(SystemdUnit.Path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(unit, text.Replace("ExecStart=/opt/wabahooks/wabahooks ", "ExecStart=/bin/true ", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (code, output) = await PackagesFixture.RunAsync(analyze, ["verify", "--man=no", unit], TimeSpan.FromSeconds(60));

        Assert.True(code == 0 && output.Trim().Length == 0, $"systemd-analyze verify exited {code}:\n{output}");
    }

    [Fact]
    public void The_unit_runs_under_a_dynamic_user_with_its_data_in_the_state_directory_and_the_hardening_options()
    {
        var unit = SystemdUnit.Load();
        foreach (var (key, value) in new[]
        {
            ("DynamicUser", "yes"), ("StateDirectory", "wabahooks"), ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"),
            ("ProtectHome", "yes"), ("PrivateTmp", "yes"), ("PrivateDevices", "yes"), ("CapabilityBoundingSet", ""),
            ("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6"), ("SystemCallFilter", "@system-service"), ("UMask", "0077"),
        })
        {
            Assert.Equal(value, unit.Single("Service", key));
        }

        Assert.Contains("--data-dir %S/wabahooks", unit.Single("Service", "ExecStart"), StringComparison.Ordinal);
        // .NET's JIT writes code and then runs it: this option would kill serve at its first method call.
        Assert.Empty(unit.All("Service", "MemoryDenyWriteExecute"));
    }

    [Fact]
    public async Task The_units_serve_command_environment_and_credentials_start_a_gateway_that_verifies_with_them()
    {
        var unit = SystemdUnit.Load();
        const string verifyToken = "unit-verify-token-6650";
        const string appSecret = "7b0c1e2d3f405162738495a6b7c8d9e0";
        var credentials = Directory.CreateDirectory(_dir.Combine("credentials")).FullName;
        foreach (var credential in unit.All("Service", "LoadCredential"))
        {
            var name = credential[..credential.IndexOf(':', StringComparison.Ordinal)];
            await File.WriteAllTextAsync(Path.Combine(credentials, name), name switch
            {
                "verify-token" => verifyToken + "\n",
                "app-secret" => appSecret + "\n",
                _ => throw new InvalidOperationException($"A credential this test does not know: {name}"),
            }, TestContext.Current.CancellationToken);
        }

        var state = Directory.CreateDirectory(_dir.Combine("state", "wabahooks")).FullName;
        var port = FreePort.Next();
        var metricsPort = FreePort.Next();
        string Expand(string value) => value
            .Replace("%d", credentials, StringComparison.Ordinal)
            .Replace("%S", _dir.Combine("state"), StringComparison.Ordinal)
            .Replace("${STATE_DIRECTORY}", state, StringComparison.Ordinal)
            .Replace("127.0.0.1:8080", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("127.0.0.1:8081", $"127.0.0.1:{metricsPort}", StringComparison.Ordinal);

        var environment = new Dictionary<string, string>();
        foreach (var line in unit.All("Service", "Environment"))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            environment[line[..equals]] = Expand(line[(equals + 1)..]);
        }

        // The EnvironmentFile, as deploy/ ships it for /etc/wabahooks/wabahooks.env.
        Assert.Equal("/etc/wabahooks/wabahooks.env", unit.Single("Service", "EnvironmentFile"));
        foreach (var line in File.ReadAllLines(RepositoryRoot.Combine("deploy", "systemd", "wabahooks.env")).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            environment[line[..equals]] = line[(equals + 1)..];
        }

        var command = unit.Single("Service", "ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/opt/wabahooks/wabahooks", command[0]);
        await using var serve = CliProcess.Start([.. command.Skip(1).Select(Expand)], _dir.Path, environment);
        // --log-format json: the banner goes to standard error.
        await serve.WaitForErrorOutputAsync("See what arrived:", TimeSpan.FromSeconds(60));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("c-42", await http.GetStringAsync($"/webhook?hub.mode=subscribe&hub.verify_token={verifyToken}&hub.challenge=c-42", ct));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", ct)).StatusCode);

        var body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}""");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
        post.Content.Headers.ContentType = new("application/json");
        post.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(body, appSecret));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(post, ct)).StatusCode);
        Assert.True(File.Exists(Path.Combine(state, "wabahooks.db")), "The store is not in the state directory.");
        Assert.DoesNotContain(appSecret, serve.StandardOutput + serve.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
