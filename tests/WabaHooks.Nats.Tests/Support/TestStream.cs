using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace WabaHooks.Nats.Tests.Support;

/// <summary>
/// A JetStream stream of the test's own, taking every subject under a prefix no other test uses, and a way to read back
/// everything it stored: what a consumer of the gateway's events would see.
/// </summary>
internal sealed class TestStream : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;

    private TestStream(NatsConnection connection, string name)
    {
        _connection = connection;
        _jetStream = new NatsJSContext(connection);
        Name = name;
    }

    public string Name { get; }

    /// <summary>The first token of every subject the stream takes.</summary>
    public string Prefix => Name.ToLowerInvariant();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TestStream> CreateAsync(Uri url)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = url.ToString() });
        var stream = new TestStream(connection, "T" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant());
        await stream._jetStream.CreateStreamAsync(new StreamConfig(stream.Name, [stream.Prefix + ".>"]) { Storage = StreamConfigStorage.File }, Ct);
        return stream;
    }

    /// <summary>How many messages the stream holds.</summary>
    public async Task<long> CountAsync()
    {
        var stream = await _jetStream.GetStreamAsync(Name, cancellationToken: Ct);
        return stream.Info.State.Messages;
    }

    /// <summary>Every message the stream holds, in order.</summary>
    public async Task<List<INatsJSMsg<byte[]>>> ReadAllAsync()
    {
        var count = await CountAsync();
        var consumer = await _jetStream.CreateOrUpdateConsumerAsync(
            Name, new ConsumerConfig { AckPolicy = ConsumerConfigAckPolicy.None, DeliverPolicy = ConsumerConfigDeliverPolicy.All }, Ct);
        var messages = new List<INatsJSMsg<byte[]>>();
        while (messages.Count < count)
        {
            await foreach (var message in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = (int)(count - messages.Count), Expires = TimeSpan.FromSeconds(5) }, cancellationToken: Ct))
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
