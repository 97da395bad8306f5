using System.Net;
using System.Net.Http.Headers;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary><c>serve --verbose</c> logs a line per processed delivery and per destination attempt.</summary>
public sealed class ServeVerboseTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verbose_logs_each_processed_delivery_with_its_size_app_and_events_and_each_destination_attempt()
    {
        await using var crm = await DestinationServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["WabaHooks__Destinations__0__Name"] = "crm",
            ["WabaHooks__Destinations__0__Url"] = crm.Url.ToString(),
            ["WabaHooks__Destinations__0__Secret"] = "crm-secret",
        };
        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", "555:" + Secret, "--verbose"],
            _dir.Path,
            environment);
        await using (serve)
        {
            var body = ExamplePayloads.Read("messages-text.json");
            using var client = new HttpClient { Timeout = Bound };
            using var post = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            post.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(post, Ct)).StatusCode);

            var processed = await serve.WaitForOutputAsync("Delivery 1: ", Bound);
            var attempt = await serve.WaitForOutputAsync("Destination crm: ", Bound);

            Assert.EndsWith($"Delivery 1: {body.Length} bytes from app 555, 1 event(s)", processed, StringComparison.Ordinal);
            Assert.Contains("Destination crm: 1 event(s) delivered (attempt 1), HTTP 200 in ", attempt, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, serve.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("crm-secret", serve.StandardOutput, StringComparison.Ordinal);
        }
    }
}
