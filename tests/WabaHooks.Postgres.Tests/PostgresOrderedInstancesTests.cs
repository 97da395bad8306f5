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
