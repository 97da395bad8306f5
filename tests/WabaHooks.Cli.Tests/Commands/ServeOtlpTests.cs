using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed class ServeOtlpTests : IDisposable
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task With_the_standard_OTLP_endpoint_variable_metrics_traces_and_logs_are_exported_under_the_service_name_given()
    {
        await using var collector = await DestinationServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url.GetLeftPart(UriPartial.Authority),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "gateway-under-test-7",
            // Export often, so the test waits for the first batches rather than the default minute.
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        };
        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--no-admin", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", "555:" + Secret],
            _dir.Path,
            environment);
        await using (serve)
        {
            var body = ExamplePayloads.Read("messages-text.json");
            using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
            using (var response = await _client.SendAsync(request, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            // An unsigned post is refused, and the refusal logged.
            using (var unsigned = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) })
            {
                unsigned.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var refused = await _client.SendAsync(unsigned, Ct);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            // The WabaHooks meter's own counter, the ASP.NET Core server span of the post, and the refusal's log line.
            await collector.WaitUntilAsync(r => r.Any(x => x.Path == "/v1/metrics" && Contains(x.Body, "wabahooks.deliveries.received")), TimeSpan.FromSeconds(20), "WabaHooks metrics over OTLP");
            await collector.WaitUntilAsync(r => r.Any(x => x.Path == "/v1/traces" && Contains(x.Body, "/webhook")), TimeSpan.FromSeconds(20), "the receive span over OTLP");
            await collector.WaitUntilAsync(r => r.Any(x => x.Path == "/v1/logs" && Contains(x.Body, "Refused")), TimeSpan.FromSeconds(20), "the refusal's log line over OTLP");
            Assert.All(collector.Received, r => Assert.True(Contains(r.Body, "gateway-under-test-7"), $"{r.Path} without the service name"));
            Assert.All(collector.Received, r => Assert.Equal("application/x-protobuf", r.Header("content-type")));
        }
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
