using System.Net;
using System.Net.Http.Headers;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Telemetry;

public sealed class ReceivingMetricsTests
{
    private const string Received = "wabahooks.deliveries.received";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_post_is_counted_once_stored_by_app_id_or_refused_by_reason()
    {
        using var dir = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync(dir.Path, o => o.MaxBodyBytes = 64 * 1024);
        using var received = Metrics.Collect<long>(gateway, Received);
        var body = ExamplePayloads.Read("messages-text.json");

        await gateway.PostAsync(body);
        await gateway.PostAsync(body);
        using (var response = await gateway.Client.SendAsync(TestGateway.SignedPost(body, TestGateway.SecretB), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await ExpectAsync(gateway, TestGateway.SignedPost(body, "not-the-secret-at-all-not-the-secret"), HttpStatusCode.Unauthorized);
        var plain = TestGateway.SignedPost(body);
        plain.Content!.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        await ExpectAsync(gateway, plain, HttpStatusCode.UnsupportedMediaType);
        await ExpectAsync(gateway, TestGateway.SignedPost(new byte[65 * 1024]), HttpStatusCode.RequestEntityTooLarge);
        await ExpectAsync(gateway, new HttpRequestMessage(HttpMethod.Put, "/webhook"), HttpStatusCode.MethodNotAllowed);
        // The verification handshake is not a delivery.
        await ExpectAsync(gateway, new HttpRequestMessage(HttpMethod.Get, "/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"), HttpStatusCode.Forbidden);

        Assert.Equal(2, Metrics.Sum(received, "wabahooks.delivery.outcome=stored", "wabahooks.app_id=app-a"));
        Assert.Equal(1, Metrics.Sum(received, "wabahooks.delivery.outcome=stored", "wabahooks.app_id=app-b"));
        Assert.Equal(1, Metrics.Sum(received, "wabahooks.delivery.outcome=signature"));
        Assert.Equal(1, Metrics.Sum(received, "wabahooks.delivery.outcome=content_type"));
        Assert.Equal(1, Metrics.Sum(received, "wabahooks.delivery.outcome=body_too_large"));
        Assert.Equal(1, Metrics.Sum(received, "wabahooks.delivery.outcome=method"));
        Assert.Equal(7, Metrics.Sum(received));
        // A refusal is counted before the signature is known to be Meta's, so it names no app.
        Assert.All(received.GetMeasurementSnapshot().Where(m => !Equals(m.Tags["wabahooks.delivery.outcome"], "stored")), m => Assert.False(m.Tags.ContainsKey("wabahooks.app_id")));
    }

    [Fact]
    public async Task Group_commits_are_timed_and_sized_and_the_events_split_from_them_are_counted_by_type_with_duplicates_apart()
    {
        using var dir = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync(dir.Path);
        using var commitSize = Metrics.Collect<int>(gateway, "wabahooks.inbox.commit.size");
        using var commitDuration = Metrics.Collect<double>(gateway, "wabahooks.inbox.commit.duration");
        using var produced = Metrics.Collect<long>(gateway, "wabahooks.events.produced");
        using var duplicates = Metrics.Collect<long>(gateway, "wabahooks.events.duplicates");
        var text = ExamplePayloads.Read("messages-text.json");
        var read = ExamplePayloads.Read("messages-status-read.json");

        await gateway.PostAsync(text);
        await gateway.PostAsync(read);
        await Await.UntilAsync(() => Metrics.Sum(produced) == 2, "both deliveries processed");
        // Meta redelivers: the same event again is produced, then dropped as a duplicate.
        await gateway.PostAsync(text);
        await Await.UntilAsync(() => Metrics.Sum(duplicates) == 1, "the redelivery dropped");

        Assert.Equal(3, commitSize.GetMeasurementSnapshot().Where(m => Equals(m.Tags["wabahooks.commit.outcome"], "committed")).Sum(m => m.Value));
        Assert.Equal(commitSize.GetMeasurementSnapshot().Count, Metrics.Count(commitDuration, "wabahooks.commit.outcome=committed"));
        Assert.All(commitDuration.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
        Assert.Equal(2, Metrics.Sum(produced, "wabahooks.event.type=messages.text"));
        Assert.Equal(1, Metrics.Sum(produced, "wabahooks.event.type=statuses.read"));
        Assert.Equal(3, Metrics.Sum(produced));
        Assert.Equal(1, Metrics.Sum(duplicates));
    }

    [Fact]
    public async Task Processing_lag_is_zero_once_the_processor_has_caught_up()
    {
        using var dir = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync(dir.Path);
        using var lag = Metrics.Collect<double>(gateway, "wabahooks.processing.lag");
        using var produced = Metrics.Collect<long>(gateway, "wabahooks.events.produced");

        await gateway.PostAsync(ExamplePayloads.Read("messages-text.json"));
        await Await.UntilAsync(() => Metrics.Sum(produced) == 1, "the delivery processed");
        await Await.UntilAsync(
            () =>
            {
                lag.RecordObservableInstruments();
                return lag.LastMeasurement?.Value == 0;
            },
            "the lag back to zero");
    }

    private static async Task ExpectAsync(TestGateway gateway, HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        {
            using var response = await gateway.Client.SendAsync(request, Ct);
            Assert.Equal(expected, response.StatusCode);
        }
    }
}
