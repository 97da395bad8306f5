using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing.Graph;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class ServeWatchdogTests : IAsyncLifetime
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private const string Token = GraphStub.AccessToken;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };
    private GraphStub _graph = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _graph = await GraphStub.StartAsync(Ct);
        _graph.SubscribeWaba();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _graph.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Readyz_shows_the_watchdog_section_and_stays_200_when_the_app_is_unsubscribed()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(
        [
            "--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret,
            "--watch-waba-id", GraphStub.WabaId, "--watch-app-id", GraphStub.AppId, "--access-token", Token,
            "--graph-url", _graph.BaseUrl.ToString(), "--subscription-check-interval", "1", "--silence-warning", "00:30:00", "--readyz-details",
        ], _dir.Path);
        await using (serve)
        {
            var readyz = new Uri(callback, "/readyz");

            var subscribed = await ReadyzUntilAsync(readyz, r => Waba(r).GetProperty("subscription").GetString() == "subscribed");
            Assert.Equal("ready", subscribed.GetProperty("status").GetString());
            Assert.False(subscribed.TryGetProperty("reason", out _));
            Assert.Equal("ok", subscribed.GetProperty("watchdog").GetProperty("status").GetString());
            Assert.Equal(GraphStub.WabaId, Waba(subscribed).GetProperty("wabaId").GetString());
            Assert.Contains(_graph.Requests, r => r.Path == $"/v24.0/{GraphStub.WabaId}/subscribed_apps" && r.Authorization == "Bearer " + Token);

            // A delivery for the watched WABA shows up as its phone number's last event.
            var body = ExamplePayloads.Read("messages-text.json");
            using var post = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            post.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
            Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(post, Ct)).StatusCode);
            var seen = await ReadyzUntilAsync(readyz, r => Waba(r).GetProperty("phoneNumbers").GetArrayLength() > 0);
            Assert.Equal(GraphStub.PhoneNumberId, Waba(seen).GetProperty("phoneNumbers")[0].GetProperty("phoneNumberId").GetString());
            Assert.Equal(JsonValueKind.String, Waba(seen).GetProperty("lastEventAt").ValueKind);

            _graph.UnsubscribeWaba();
            var warned = await ReadyzUntilAsync(readyz, r => Waba(r).GetProperty("subscription").GetString() == "not_subscribed");
            Assert.Equal("ready", warned.GetProperty("status").GetString());
            Assert.Equal("warning", warned.GetProperty("watchdog").GetProperty("status").GetString());
            var warning = warned.GetProperty("watchdog").GetProperty("warnings")[0].GetString()!;
            Assert.Contains("is no longer subscribed", warning, StringComparison.Ordinal);
            await serve.WaitForOutputAsync("is no longer subscribed", Patience);

            Assert.Contains($"Watchdog:      WABA {GraphStub.WabaId}, subscribed_apps every 00:00:01", serve.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, serve.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, serve.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_watched_WABA_readyz_has_no_watchdog_section()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret], _dir.Path);
        await using (serve)
        {
            using var response = await _client.GetAsync(new Uri(callback, "/readyz"), Ct);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(json.RootElement.TryGetProperty("watchdog", out _));
            Assert.Empty(_graph.Requests);
        }
    }

    private static JsonElement Waba(JsonElement readyz) => readyz.GetProperty("watchdog").GetProperty("wabas")[0];

    /// <summary>Reads <c>/readyz</c> until the condition holds; every read must answer 200.</summary>
    private async Task<JsonElement> ReadyzUntilAsync(Uri readyz, Func<JsonElement, bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            using var response = await _client.GetAsync(readyz, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
            if (condition(json))
            {
                return json;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "readyz never showed the expected state: " + json);
            await Task.Delay(200, Ct);
        }
    }
}
