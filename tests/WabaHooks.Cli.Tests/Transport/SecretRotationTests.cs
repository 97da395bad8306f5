using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using WabaHooks.Signatures;
using WabaHooks.Testing.Destinations;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Transport;

public sealed class SecretRotationTests : IDisposable
{
    private const string OldSecret = "old-app-secret-0123456789abcdef01";
    private const string NewSecret = "new-app-secret-0123456789abcdef02";
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    private string ConfigFile => _dir.Combine("wabahooks.json");

    /// <summary>Writes the configuration as an editor or a deployment would: aside, then moved over the old file.</summary>
    private void WriteConfig(string verifyToken, params string[] appSecrets)
    {
        var json = JsonSerializer.Serialize(new
        {
            WabaHooks = new
            {
                VerifyToken = verifyToken,
                AppSecrets = appSecrets,
                // The test's own polling makes refusals; it must see 401s, not the limit's 429s.
                RefusedRequests = new { Burst = 10_000 },
            },
        });
        File.WriteAllText(ConfigFile + ".tmp", json);
        File.Move(ConfigFile + ".tmp", ConfigFile, overwrite: true);
    }

    private int _sent;

    /// <summary>Posts the text message example under a wamid of its own, so no delivery is a duplicate of another.</summary>
    private async Task<HttpStatusCode> PostAsync(Uri callback, string secret)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(ExamplePayloads.Read("messages-text.json"))
            .Replace("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==", $"wamid.rotation-{Interlocked.Increment(ref _sent)}", StringComparison.Ordinal));
        using var response = await _client.SendAsync(TestPki.SignedPost(callback, body, secret), Ct);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> VerifyAsync(Uri callback, string token)
    {
        using var response = await _client.GetAsync($"{callback}?hub.mode=subscribe&hub.challenge=7&hub.verify_token={token}", Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_secret_rotated_in_the_config_file_of_a_running_serve_is_accepted_and_the_removed_one_refused()
    {
        WriteConfig("token-before", $"1234:{OldSecret}");
        var (serve, callback) = await CliProcess.StartServeAsync(["--config", ConfigFile, "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data")], _dir.Path);
        await using (serve)
        {
            var pid = serve.Id;
            Assert.Equal(HttpStatusCode.OK, await PostAsync(callback, OldSecret));
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(callback, NewSecret));

            // Meta switches over: both secrets accepted meanwhile.
            WriteConfig("token-after", $"1234-new:{NewSecret}", $"1234:{OldSecret}");
            await Await.UntilAsync(async () => await PostAsync(callback, NewSecret) == HttpStatusCode.OK, "the new secret is accepted");
            Assert.Equal(HttpStatusCode.OK, await PostAsync(callback, OldSecret));
            Assert.Equal(HttpStatusCode.OK, await VerifyAsync(callback, "token-after"));
            Assert.Equal(HttpStatusCode.Forbidden, await VerifyAsync(callback, "token-before"));

            // The old one removed.
            WriteConfig("token-after", $"1234:{NewSecret}");
            await Await.UntilAsync(async () => await PostAsync(callback, OldSecret) == HttpStatusCode.Unauthorized, "the removed secret is refused");
            Assert.Equal(HttpStatusCode.OK, await PostAsync(callback, NewSecret));

            Assert.False(serve.HasExited);
            Assert.Equal(pid, serve.Id);
            Assert.Contains("Configuration reloaded: 1 app secret(s)", serve.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(NewSecret, serve.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(OldSecret, serve.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_change_that_does_not_validate_keeps_the_secrets_in_use()
    {
        WriteConfig("token", $"1234:{OldSecret}");
        var (serve, callback) = await CliProcess.StartServeAsync(["--config", ConfigFile, "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data")], _dir.Path);
        await using (serve)
        {
            // No app secret at all: refused by validation, so the running gateway goes on with the last valid ones.
            WriteConfig("token");
            await serve.WaitForOutputAsync("Configuration change not applied", Await.Bound);
            Assert.Equal(HttpStatusCode.OK, await PostAsync(callback, OldSecret));

            // A file that is not JSON any more: the same.
            File.WriteAllText(ConfigFile + ".tmp", "{ not json");
            File.Move(ConfigFile + ".tmp", ConfigFile, overwrite: true);
            await Await.UntilAsync(() => serve.StandardOutput.Split('\n').Count(l => l.Contains("Configuration change not applied", StringComparison.Ordinal)) >= 2, "the broken file is reported");
            Assert.Equal(HttpStatusCode.OK, await PostAsync(callback, OldSecret));

            // A valid change after the broken ones is still taken: the watch survived them.
            WriteConfig("token", $"1234-new:{NewSecret}");
            await Await.UntilAsync(async () => await PostAsync(callback, NewSecret) == HttpStatusCode.OK, "the next valid change is applied");
            Assert.False(serve.HasExited);
        }
    }

    [Fact]
    public async Task A_destination_secret_rotated_in_the_config_file_signs_the_next_requests()
    {
        const string before = "destination-secret-before-0001";
        const string after = "destination-secret-after-00002";
        await using var destination = await DestinationServer.StartAsync();
        void Write(string secret)
        {
            var root = new JsonObject
            {
                ["WabaHooks"] = new JsonObject
                {
                    ["VerifyToken"] = "token",
                    ["AppSecrets"] = new JsonArray($"1234:{OldSecret}"),
                    ["Destinations"] = new JsonArray(new JsonObject { ["Name"] = "crm", ["Url"] = destination.Url.ToString(), ["Format"] = "meta", ["Secret"] = secret }),
                },
            };
            File.WriteAllText(ConfigFile + ".tmp", root.ToJsonString());
            File.Move(ConfigFile + ".tmp", ConfigFile, overwrite: true);
        }

        bool SignedWith(ReceivedRequest request, string secret) =>
            WebhookSignature.Verify(request.Body, request.Header(WebhookSignature.HeaderName), [new AppSecret("crm", secret)]).IsValid;

        Write(before);
        var (serve, callback) = await CliProcess.StartServeAsync(["--config", ConfigFile, "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data")], _dir.Path);
        await using (serve)
        {
            Assert.Equal(HttpStatusCode.OK, await PostAsync(callback, OldSecret));
            await destination.WaitUntilAsync(r => r.Count == 1, Await.Bound, "the first delivery is forwarded");
            Assert.True(SignedWith(destination.Received[0], before));

            Write(after);
            // Deliveries until one arrives signed with the new secret; each is signed with one or the other, never neither.
            await Await.UntilAsync(async () =>
            {
                // Counted before the post: the forward can arrive before the post's answer is read.
                var count = destination.Received.Count + 1;
                Assert.Equal(HttpStatusCode.OK, await PostAsync(callback, OldSecret));
                await destination.WaitUntilAsync(r => r.Count >= count, Await.Bound, "the delivery is forwarded");
                return SignedWith(destination.Received[^1], after);
            }, "a forwarded delivery is signed with the rotated secret");
            Assert.All(destination.Received, r => Assert.True(SignedWith(r, before) || SignedWith(r, after)));
            Assert.DoesNotContain(after, serve.StandardOutput, StringComparison.Ordinal);
        }
    }
}
