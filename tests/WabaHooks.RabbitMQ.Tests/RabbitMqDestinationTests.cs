using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using WabaHooks.Hosting.Destinations;
using WabaHooks.RabbitMQ.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Brokers;

namespace WabaHooks.RabbitMQ.Tests;

/// <summary>
/// Issue #18, RabbitMQ: a gateway set up from configuration (<c>"Kind": "rabbitmq"</c>) publishes to a real RabbitMQ
/// node, shared by the class because it takes seconds to start; each test has its own exchange and queue.
/// </summary>
public sealed class RabbitMqDestinationTests(RabbitMqServer rabbit) : IClassFixture<RabbitMqServer>, IDisposable
{
    private const string Sink = "destination:bus";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Destination(string exchange, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Name"] = "bus",
            ["Kind"] = "rabbitmq",
            // The credentials from a file, as other secrets; the URL holds none.
            ["Url"] = $"amqp://127.0.0.1:{rabbit.Port}/",
            ["UserName"] = "guest",
            ["Password:File"] = PasswordFile(),
            ["Exchange"] = exchange,
            ["RoutingKey"] = "{type}",
            ["Format"] = "event",
            ["Timeout"] = "3",
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

    private string PasswordFile()
    {
        var path = _dir.Combine("rabbitmq-password");
        File.WriteAllText(path, "guest\n");
        return path;
    }

    [Fact]
    public async Task Events_matching_the_filter_are_published_once_each_persistent_with_the_idempotency_key_as_message_id()
    {
        var exchange = await TestExchange.CreateAsync(rabbit.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(exchange.Exchange, ("Types:0", "messages.*")), b => b.AddRabbitMqDestinations());

        await gateway.AppendAsync(Enumerable.Range(0, 20).SelectMany(n => new[] { BrokerDeliveries.Text(n), BrokerDeliveries.Status(n) }));
        await gateway.WaitUntilDoneAsync(Sink, 20);

        var messages = await exchange.TakeAllAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(n => BrokerDeliveries.TextId(n)).Order(StringComparer.Ordinal), messages.Select(m => m.BasicProperties.MessageId).Order(StringComparer.Ordinal));
        Assert.All(messages, m =>
        {
            Assert.Equal("messages.text", m.RoutingKey);
            Assert.Equal(DeliveryModes.Persistent, m.BasicProperties.DeliveryMode);
            Assert.Equal("application/json", m.BasicProperties.ContentType);
            Assert.Equal("messages.text", m.BasicProperties.Type);
            Assert.Equal(BrokerDeliveries.WabaId, Encoding.UTF8.GetString((byte[])m.BasicProperties.Headers!["wabahooks-waba-id"]!));
            using var body = JsonDocument.Parse(m.Body);
            Assert.Equal(m.BasicProperties.MessageId, body.RootElement.GetProperty("data").GetProperty("id").GetString());
        });
        var backlog = await gateway.BacklogAsync(Sink);
        Assert.Equal((0L, 0L, 20L), (backlog.Pending, backlog.Dead, backlog.Done));
    }

    [Fact]
    public async Task An_unroutable_publish_is_retried_and_then_dead_lettered_with_the_brokers_reason()
    {
        // The queue takes statuses only: a text message has nowhere to go, and mandatory brings it back.
        var exchange = await TestExchange.CreateAsync(rabbit.Url, bindingKey: "statuses.*");
        await using var gateway = await BrokerGateway.StartAsync(
            _dir.Path, Destination(exchange.Exchange, ("Retry:Window", "1"), ("CircuitBreaker:FailureThreshold", "100")), b => b.AddRabbitMqDestinations());

        await gateway.AppendAsync([BrokerDeliveries.Text(1)]);

        await Await.UntilAsync(() => gateway.BacklogAsync(Sink), b => b.Dead == 1, "the unroutable event dead-lettered");
        var attempts = await gateway.Work.ListAttemptsAsync(BrokerDeliveries.TextId(1), Sink, Ct);
        Assert.True(attempts.Count > 1, $"only {attempts.Count} attempt(s): it was not retried");
        Assert.All(attempts, a =>
        {
            Assert.False(a.Succeeded);
            Assert.Equal($"returned by RabbitMQ as unroutable (312 NO_ROUTE): no queue is bound to exchange '{exchange.Exchange}' for routing key 'messages.text'", a.Error);
        });
        Assert.Equal(0u, await exchange.CountAsync());
    }

    [Fact]
    public async Task A_replayed_event_is_published_again_with_the_same_message_id()
    {
        var exchange = await TestExchange.CreateAsync(rabbit.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(exchange.Exchange), b => b.AddRabbitMqDestinations());
        await gateway.AppendAsync([BrokerDeliveries.Text(1)]);
        await gateway.WaitUntilDoneAsync(Sink, 1);

        await gateway.ReplayAsync(BrokerDeliveries.TextId(1), Sink);

        var attempts = await Await.UntilAsync(() => gateway.Work.ListAttemptsAsync(BrokerDeliveries.TextId(1), Sink, Ct), a => a.Count == 2, "the replay's attempt");
        Assert.All(attempts, a => Assert.True(a.Succeeded, a.Error));
        Assert.Equal([BrokerDeliveries.TextId(1), BrokerDeliveries.TextId(1)], (await exchange.TakeAllAsync()).Select(m => m.BasicProperties.MessageId));
    }

    [Fact]
    public async Task Start_up_stops_when_the_exchange_does_not_exist_and_declares_it_when_asked()
    {
        var missing = "missing" + Guid.NewGuid().ToString("N")[..8];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BrokerGateway.StartAsync(_dir.Path, Destination(missing), b => b.AddRabbitMqDestinations()));
        Assert.Equal(
            $"Destination 'bus': RabbitMQ has no exchange '{missing}' in virtual host '/'. Create it (and bind queues to it), or set DeclareExchange: true for the gateway to declare it.",
            error.Message);

        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(missing, ("DeclareExchange", "true")), b => b.AddRabbitMqDestinations());
        await using var check = await new ConnectionFactory { Uri = rabbit.Url }.CreateConnectionAsync(Ct);
        await using var channel = await check.CreateChannelAsync(cancellationToken: Ct);
        await channel.ExchangeDeclarePassiveAsync(missing, Ct);
    }

    [Fact]
    public async Task Destinations_test_publishes_a_test_event_and_reports_the_brokers_acknowledgement()
    {
        var exchange = await TestExchange.CreateAsync(rabbit.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(exchange.Exchange), b => b.AddRabbitMqDestinations());
        // Made as destinations test makes it.
        await using var transport = gateway.Services.GetRequiredService<DestinationTransports>().Create(gateway.Services.GetServices<DestinationOptions>().Single());

        await transport.StartAsync(Ct);
        var response = await transport.SendTestAsync(Ct);

        Assert.True(response.Succeeded, response.Error);
        Assert.Equal($"acknowledged by RabbitMQ (exchange '{exchange.Exchange}', routing key 'wabahooks.test')", response.Head);
        var message = Assert.Single(await exchange.TakeAllAsync());
        Assert.StartsWith("test:", message.BasicProperties.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_killed_mid_stream_and_restarted_gets_every_event_and_none_is_dead_lettered()
    {
        const int Events = 300;
        var exchange = await TestExchange.CreateAsync(rabbit.Url);
        await using var gateway = await BrokerGateway.StartAsync(_dir.Path, Destination(exchange.Exchange), b => b.AddRabbitMqDestinations());

        var arriving = Task.Run(async () =>
        {
            for (var n = 0; n < Events; n += 10)
            {
                await gateway.AppendAsync(Enumerable.Range(n, 10).Select(i => BrokerDeliveries.Text(i)));
                await Task.Delay(15, Ct);
            }
        }, Ct);
        await Await.UntilAsync(() => gateway.BacklogAsync(Sink), b => b.Done >= 40, "the first events delivered");
        await rabbit.KillAsync();
        await Await.UntilAsync(gateway.PausedAsync, paused => paused, "the destination paused while the node is down", TimeSpan.FromSeconds(30));
        await rabbit.RestartAsync();
        await arriving;

        await gateway.WaitUntilDoneAsync(Sink, Events, TimeSpan.FromSeconds(90));
        Assert.Equal(0, (await gateway.BacklogAsync(Sink)).Dead);
        // At least once: a publish the node confirmed just before dying may have been sent again; none is missing.
        var ids = (await exchange.TakeAllAsync()).Select(m => m.BasicProperties.MessageId!).ToHashSet();
        Assert.Equal(Enumerable.Range(0, Events).Select(n => BrokerDeliveries.TextId(n)).ToHashSet(), ids);
    }
}
