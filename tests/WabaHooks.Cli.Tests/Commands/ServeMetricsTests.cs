using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

public sealed partial class ServeMetricsTests : IDisposable
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
    public async Task Metrics_on_the_admin_listener_move_by_exactly_what_was_posted_and_refusals_by_reason()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--admin-urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", "555:" + Secret],
            _dir.Path);
        await using (serve)
        {
            var metrics = new Uri(MetricsLine().Match(serve.StandardOutput).Groups["url"].Value);
            var body = ExamplePayloads.Read("messages-text.json");

            await PostAsync(callback, body, Secret, HttpStatusCode.OK);
            await PostAsync(callback, ExamplePayloads.Read("messages-status-read.json"), Secret, HttpStatusCode.OK);
            await PostAsync(callback, ExamplePayloads.Read("messages-image.json"), Secret, HttpStatusCode.OK);
            await PostAsync(callback, body, "a-secret-that-is-not-the-app-secret", HttpStatusCode.Unauthorized);
            await PostAsync(callback, body, "a-secret-that-is-not-the-app-secret", HttpStatusCode.Unauthorized);
            using (var put = new HttpRequestMessage(HttpMethod.Put, callback))
            using (var refused = await _client.SendAsync(put, Ct))
            {
                Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
            }

            string scrape = "";
            await Await.UntilAsync(
                async () => Value(scrape = await _client.GetStringAsync(metrics, Ct), "wabahooks_events_produced_total", "wabahooks_event_type=\"messages.image\"") == 1,
                "the deliveries processed");

            Assert.Equal(3, Value(scrape, "wabahooks_deliveries_received_total", "wabahooks_delivery_outcome=\"stored\"", "wabahooks_app_id=\"555\""));
            Assert.Equal(2, Value(scrape, "wabahooks_deliveries_received_total", "wabahooks_delivery_outcome=\"signature\""));
            Assert.Equal(1, Value(scrape, "wabahooks_deliveries_received_total", "wabahooks_delivery_outcome=\"method\""));
            Assert.Equal(1, Value(scrape, "wabahooks_events_produced_total", "wabahooks_event_type=\"messages.text\""));
            Assert.Equal(1, Value(scrape, "wabahooks_events_produced_total", "wabahooks_event_type=\"statuses.read\""));
            Assert.Equal(3, Value(scrape, "wabahooks_inbox_commit_size_sum"));
            Assert.True(Value(scrape, "wabahooks_inbox_commit_duration_seconds_count") >= 1);
            // The view that bounds each stream's cardinality keeps the instruments' own bucket boundaries.
            Assert.Contains("wabahooks_inbox_commit_size_bucket{", scrape, StringComparison.Ordinal);
            Assert.Matches("wabahooks_inbox_commit_size_bucket\\{[^}]*le=\"1024\"", scrape);
            Assert.Matches("wabahooks_inbox_commit_duration_seconds_bucket\\{[^}]*le=\"0.0005\"", scrape);
            Assert.Contains("service_name=\"wabahooks\"", scrape, StringComparison.Ordinal);
            // Runtime and ASP.NET Core metrics come with them.
            Assert.Contains("http_server_request_duration_seconds", scrape, StringComparison.Ordinal);
            Assert.Contains("dotnet_gc_collections_total", scrape, StringComparison.Ordinal);

            // The callback's listener does not serve them: nothing an operator sees is reachable through it.
            using var onCallback = await _client.GetAsync(new Uri(callback, "/metrics"), Ct);
            Assert.Equal(HttpStatusCode.NotFound, onCallback.StatusCode);
        }
    }

    [Fact]
    public async Task No_admin_listener_means_no_metrics_either()
    {
        var (serve, _) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--no-admin", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret],
            _dir.Path);
        await using (serve)
        {
            Assert.DoesNotContain("Metrics:", serve.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_admin_address_that_is_not_http_is_refused_at_start_with_the_option_named()
    {
        var result = await CliProcess.RunAsync(
            ["serve", "--urls", "http://127.0.0.1:0", "--admin-urls", "https://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "t", "--app-secret", Secret],
            _dir.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--admin-urls 'https://127.0.0.1:0'", result.StandardError, StringComparison.Ordinal);
    }

    private async Task PostAsync(Uri callback, byte[] body, string secret, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, secret));
        using var response = await _client.SendAsync(request, Ct);
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>; 0 when there is none.</summary>
    private static double Value(string scrape, string metric, params string[] labels)
    {
        var samples = scrape.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count <= 1, $"{metric} {string.Join(',', labels)} matches several samples:\n{string.Join('\n', samples)}");
        return samples.Count == 0 ? 0 : double.Parse(samples[0][(samples[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Metrics:\s+(?<url>http://\S+/metrics)")]
    private static partial Regex MetricsLine();
}
