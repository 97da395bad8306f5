using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Nats.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Brokers;

namespace WabaHooks.Nats.Tests;

/// <summary>
/// Issue #18, NATS JetStream: a gateway set up from configuration (<c>"Kind": "nats"</c>) publishes to a real
/// nats-server; each test reads back what its own stream stored.
/// </summary>
public sealed class NatsDestinationTests(NatsServer nats) : IClassFixture<NatsServer>, IDisposable
{
    private const string Sink = "destination:stream";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Destination(TestStream stream, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Name"] = "stream",
            ["Kind"] = "nats",
            ["Url"] = nats.Url.ToString(),
            ["Subject"] = stream.Prefix + ".{waba_id}.{type}",
            ["Format"] = "event",
            ["Timeout"] = "2",
            ["MaxConcurrency"] = "32",
            ["Retry:BaseDelay"] = "0.05",
            ["Retry:MaxDelay"] = "0.5",
            ["CircuitBreaker:BreakDuration"] = "0.5",
            ["CircuitBreaker:MaxBreakDuration"] = "1",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Events_matching_the_filter_are_stored_once_each_with_the_idempotency_key_as_msg_id_under_the_subject_template()
    {
        await using var stream = await TestStream.CreateAsync(nats.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(stream, ("Types:0", "messages.*")), b => b.AddNatsDestinations());

        await gateway.AppendAsync(Enumerable.Range(0, 20).SelectMany(n => new[] { BrokerDeliveries.Text(n), BrokerDeliveries.Status(n) }));
        await gateway.WaitUntilDoneAsync(Sink, 20);

        var messages = await stream.ReadAllAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(n => BrokerDeliveries.TextId(n)).Order(StringComparer.Ordinal), messages.Select(m => m.Headers!["Nats-Msg-Id"].ToString()).Order(StringComparer.Ordinal));
        Assert.All(messages, m =>
        {
            Assert.Equal($"{stream.Prefix}.{BrokerDeliveries.WabaId}.messages.text", m.Subject);
            Assert.Equal("messages.text", m.Headers!["WabaHooks-Type"].ToString());
            Assert.Equal(BrokerDeliveries.PhoneNumberId, m.Headers["WabaHooks-Phone-Number-Id"].ToString());
            Assert.Equal("application/json", m.Headers["Content-Type"].ToString());
            using var body = JsonDocument.Parse(m.Data);
            Assert.Equal(m.Headers["Nats-Msg-Id"].ToString(), body.RootElement.GetProperty("data").GetProperty("id").GetString());
        });
        // The statuses were filtered out before any work was recorded for them: nothing of theirs waits or died.
        Assert.Equal(new SinkBacklogCounts(0, 0, 20), Counts(await gateway.BacklogAsync(Sink)));
    }

    [Fact]
    public async Task A_server_killed_mid_stream_and_restarted_gets_every_event_exactly_once_and_none_is_dead_lettered()
    {
        const int Events = 300;
        await using var stream = await TestStream.CreateAsync(nats.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(stream), b => b.AddNatsDestinations());

        // Deliveries keep arriving in small batches while the server dies and comes back.
        var arriving = Task.Run(async () =>
        {
            for (var n = 0; n < Events; n += 10)
            {
                await gateway.AppendAsync(Enumerable.Range(n, 10).Select(i => BrokerDeliveries.Text(i)));
                await Task.Delay(15, Ct);
            }
        }, Ct);
        await Await.UntilAsync(() => gateway.BacklogAsync(Sink), b => b.Done >= 40, "the first events delivered");
        await nats.KillAsync();
        // Publishes fail (unacknowledged within the timeout) until the breaker pauses the destination.
        await Await.UntilAsync(gateway.PausedAsync, paused => paused, "the destination paused while the server is down", TimeSpan.FromSeconds(30));
        await nats.RestartAsync();
        await arriving;

        await gateway.WaitUntilDoneAsync(Sink, Events, TimeSpan.FromSeconds(60));
        Assert.Equal(0, (await gateway.BacklogAsync(Sink)).Dead);
        var retried = 0;
        for (var n = 0; n < Events; n++)
        {
            retried += (await gateway.Work.ListAttemptsAsync(BrokerDeliveries.TextId(n), Sink, Ct)).Count > 1 ? 1 : 0;
        }

        Assert.True(retried > 0, "no event was retried: the kill landed outside the stream");
        var ids = (await stream.ReadAllAsync()).Select(m => m.Headers!["Nats-Msg-Id"].ToString()).ToList();
        Assert.Equal(Events, ids.Count);
        Assert.Equal(Enumerable.Range(0, Events).Select(n => BrokerDeliveries.TextId(n)).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_replayed_event_is_published_again_with_its_msg_id_and_the_stream_drops_the_duplicate()
    {
        await using var stream = await TestStream.CreateAsync(nats.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(stream), b => b.AddNatsDestinations());
        await gateway.AppendAsync([BrokerDeliveries.Text(1)]);
        await gateway.WaitUntilDoneAsync(Sink, 1);

        await gateway.ReplayAsync(BrokerDeliveries.TextId(1), Sink);

        var attempts = await Await.UntilAsync(
            () => gateway.Work.ListAttemptsAsync(BrokerDeliveries.TextId(1), Sink, Ct), a => a.Count == 2, "the replay's attempt");
        Assert.All(attempts, a => Assert.True(a.Succeeded));
        Assert.StartsWith("stored in stream", attempts[0].ResponseHead, StringComparison.Ordinal);
        Assert.Contains("duplicate", attempts[1].ResponseHead, StringComparison.Ordinal);
        Assert.Equal(1, await stream.CountAsync());
    }

    [Fact]
    public async Task Start_up_stops_naming_the_subjects_when_no_stream_takes_them()
    {
        await using var stream = await TestStream.CreateAsync(nats.Url);
        var settings = Destination(stream, ("Subject", "nobody-" + stream.Prefix + ".{type}"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BrokerGateway.StartAsync(_dir.Path, settings, b => b.AddNatsDestinations()));

        Assert.Contains($"Destination 'stream': no JetStream stream takes the subjects nobody-{stream.Prefix}.*.*", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destinations_test_publishes_a_test_event_and_reports_the_stream_and_sequence()
    {
        await using var stream = await TestStream.CreateAsync(nats.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(stream), b => b.AddNatsDestinations());
        // Made as destinations test makes it.
        await using var transport = gateway.Services.GetRequiredService<DestinationTransports>().Create(gateway.Services.GetServices<DestinationOptions>().Single());

        var response = await transport.SendTestAsync(Ct);

        Assert.True(response.Succeeded, response.Error);
        Assert.Equal($"stored in stream {stream.Name} as message 1 (subject '{stream.Prefix}.0.wabahooks.test')", response.Head);
        var message = Assert.Single(await stream.ReadAllAsync());
        Assert.Contains("\"type\":\"wabahooks.test\"", Encoding.UTF8.GetString(message.Data!), StringComparison.Ordinal);
    }

    private static SinkBacklogCounts Counts(WabaHooks.Storage.SinkBacklog b) => new(b.Pending, b.Dead, b.Done);

    private sealed record SinkBacklogCounts(long Pending, long Dead, long Done);
}
