using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting;
using WabaHooks.Inbox;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Storage;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

/// <summary>Several instances on one PostgreSQL database, each with the same handler ordered per conversation.</summary>
public sealed class PostgresOrderedInstancesTests(PostgresServer server)
{
    private const string Sink = "ordered";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What every instance's handler saw, shared across the instances of the test.</summary>
    private sealed class Seen
    {
        private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, ConcurrentQueue<string>> ByCustomer { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, byte> Instances { get; } = new(StringComparer.Ordinal);

        public int Overlaps;

        public async Task HandleAsync(string instance, InboundMessage message, CancellationToken cancellationToken)
        {
            var customer = message.From!;
            if (_running.AddOrUpdate(customer, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref Overlaps);
            }

            try
            {
                // Long enough for another instance to claim meanwhile, had the conversation been free.
                await Task.Delay(3, cancellationToken);
                Instances.TryAdd(instance, 0);
                ByCustomer.GetOrAdd(customer, _ => new()).Enqueue(message.Wamid);
            }
            finally
            {
                _running.AddOrUpdate(customer, 0, (_, n) => n - 1);
            }
        }
    }

    private static byte[] Text(int customer, int m) => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550142233","phone_number_id":"118765432100002"},"messages":[{"from":"44770090{{{customer:D4}}}","id":"c{{{customer}}}-m{{{m}}}","timestamp":"{{{1_767_261_601 + m}}}","type":"text","text":{"body":"m{{{m}}}"}}]}}]}]}""");

    private static async Task<IHost> StartInstanceAsync(string connectionString, string instance, Seen seen)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWabaHooks(o =>
            {
                o.VerifyToken = "token";
                o.AppSecrets.Add(new Signatures.AppSecret("app", "secret"));
                o.Processor.IdlePollInterval = TimeSpan.FromMilliseconds(20);
                o.Handlers.PollInterval = TimeSpan.FromMilliseconds(10);
                o.Handlers.ReorderWindow = TimeSpan.Zero;
                o.Handlers.MaxConcurrency = 8;
            })
            .UsePostgres(connectionString)
            .OnMessage((context, ct) => seen.HandleAsync(instance, context.Payload, ct), name: Sink, ordering: SinkOrdering.PerConversation);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }

    [Fact]
    public async Task Three_instances_never_work_one_conversation_at_once_and_keep_each_conversations_order()
    {
        const int Conversations = 16, PerConversation = 10, Total = Conversations * PerConversation;
        var database = await server.CreateDatabaseAsync();
        var bodies = Enumerable.Range(0, Conversations).SelectMany(c => Enumerable.Range(0, PerConversation).Select(m => Text(c, m))).ToArray();
        new Random(5).Shuffle(bodies);
        await using (var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database }))
        {
            await store.InitializeAsync(Ct);
            await store.AppendAsync([.. bodies.Select(b => new InboundDelivery(b, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(b)))], Ct);
        }

        var seen = new Seen();
        var hosts = new List<IHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                hosts.Add(await StartInstanceAsync(database, $"instance-{i}", seen));
            }

            var work = hosts[0].Services.GetRequiredService<ISinkWorkStore>();
            await Testing.Await.UntilAsync(
                async () => (await work.GetBacklogAsync(Ct)).FirstOrDefault(b => b.Sink == Sink),
                b => b is { Done: Total },
                "every message handled",
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
            }
        }

        Assert.Equal(0, seen.Overlaps);
        for (var c = 0; c < Conversations; c++)
        {
            Assert.Equal(Enumerable.Range(0, PerConversation).Select(m => $"c{c}-m{m}"), seen.ByCustomer[$"44770090{c:D4}"]);
        }

        Assert.True(seen.Instances.Count > 1, "the conversations were shared between instances");
    }
}

/// <summary>
/// The conversation lease under real concurrency: two stores on one database, several claimers each, while events keep
/// arriving, some earlier than ones already handed over.
/// </summary>
public sealed class PostgresConversationLeaseTests(PostgresServer server)
{
    private const string Sink = "ordered";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claimers_on_two_instances_never_hold_one_conversation_at_once_while_earlier_events_keep_arriving()
    {
        const int Conversations = 8, Batches = 30, PerBatch = 8;
        var database = await server.CreateDatabaseAsync();
        await using var first = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        await using var second = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        await first.InitializeAsync(Ct);
        await second.InitializeAsync(Ct);

        var running = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var overlaps = 0;
        var handed = 0;
        var late = 0;
        var random = new Random(11);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_767_261_601);
        using var stop = new CancellationTokenSource();

        async Task ClaimLoopAsync(PostgresStore store)
        {
            while (true)
            {
                var items = await store.ClaimDueInOrderAsync(Sink, 4, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), TimeSpan.Zero, CancellationToken.None);
                if (items.Count == 0)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    await Task.Delay(2, CancellationToken.None);
                    continue;
                }

                await Task.WhenAll(items.Select(async item =>
                {
                    if (item.IsLate)
                    {
                        Interlocked.Increment(ref late);
                    }

                    if (running.AddOrUpdate(item.ConversationKey!, 1, (_, n) => n + 1) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    // Long enough for events to arrive while the conversation is held.
                    await Task.Delay(15, CancellationToken.None);
                    running.AddOrUpdate(item.ConversationKey!, 0, (_, n) => n - 1);
                    Interlocked.Increment(ref handed);
                    await ((ISinkWorkStore)store).RecordAttemptAsync(
                        item, new SinkAttempt(item.EventId, Sink, 1, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(2), true, null, null, null), null, CancellationToken.None);
                }));
            }
        }

        var claimers = new[] { first, first, second, second }.Select(s => Task.Run(() => ClaimLoopAsync(s), Ct)).ToArray();
        var sequence = 0;
        for (var batch = 0; batch < Batches; batch++)
        {
            var delivery = (await first.AppendAsync([new InboundDelivery("{}"u8.ToArray(), t0, "app", DeliveryFlags.None)], Ct))[0];
            var events = Enumerable.Range(0, PerBatch).Select(_ =>
            {
                var id = $"e{sequence++}";
                // Timestamps jump around, so some events arrive after later ones of their conversation were handed over.
                return new NewEvent(id, "messages.text", "messages", "waba", "phone", t0.AddSeconds(random.Next(0, 100)), 0, Encoding.UTF8.GetBytes("{}"), null, [Sink])
                {
                    ConversationKey = $"c{random.Next(Conversations)}",
                    OrderedSinks = [Sink],
                };
            }).ToArray();
            await (batch % 2 == 0 ? first : second).CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, null, events)]), Ct);

            // Paced, not a wait for anything: arrivals spread over the time the claimers work.
            await Task.Delay(10, Ct);
        }

        await Testing.Await.UntilAsync(() => Task.FromResult(Volatile.Read(ref handed)), h => h >= Batches * PerBatch, "every event handed over", TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(claimers);

        Assert.True(late > 0, "some events arrived after a later one of their conversation was handed over");
        Assert.True(overlaps == 0, $"{overlaps} overlaps, {late} late");
        Assert.Equal(Batches * PerBatch, handed);
        var backlog = Assert.Single(await first.GetBacklogAsync(Ct), b => b.Sink == Sink);
        Assert.Equal((0L, (long)(Batches * PerBatch)), (backlog.Pending, backlog.Done));
    }
}
