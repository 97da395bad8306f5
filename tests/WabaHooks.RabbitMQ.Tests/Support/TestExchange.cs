using RabbitMQ.Client;

namespace WabaHooks.RabbitMQ.Tests.Support;

/// <summary>
/// A durable topic exchange of the test's own and a durable queue bound to it: what a consumer of the gateway's events
/// would set up, and a way to take back everything the queue holds. Each use connects afresh, so it works across a
/// restart of the node.
/// </summary>
internal sealed class TestExchange(Uri url, string name)
{
    public string Exchange { get; } = name;

    public string Queue => Exchange + ".queue";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates the exchange and, bound with <paramref name="bindingKey"/>, the queue.</summary>
    public static async Task<TestExchange> CreateAsync(Uri url, string bindingKey = "#")
    {
        var exchange = new TestExchange(url, "x" + Guid.NewGuid().ToString("N")[..12]);
        await exchange.UseAsync(async channel =>
        {
            await channel.ExchangeDeclareAsync(exchange.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: Ct);
            await channel.QueueDeclareAsync(exchange.Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Ct);
            await channel.QueueBindAsync(exchange.Queue, exchange.Exchange, bindingKey, cancellationToken: Ct);
            return 0;
        });
        return exchange;
    }

    /// <summary>Takes every message the queue holds now.</summary>
    public Task<List<BasicGetResult>> TakeAllAsync() => UseAsync(async channel =>
    {
        var taken = new List<BasicGetResult>();
        while (await channel.BasicGetAsync(Queue, autoAck: true, Ct) is { } message)
        {
            taken.Add(message);
        }

        return taken;
    });

    /// <summary>How many messages the queue holds.</summary>
    public Task<uint> CountAsync() => UseAsync(channel => channel.MessageCountAsync(Queue, Ct));

    private async Task<T> UseAsync<T>(Func<IChannel, Task<T>> use)
    {
        await using var connection = await new ConnectionFactory { Uri = url }.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        return await use(channel);
    }
}
