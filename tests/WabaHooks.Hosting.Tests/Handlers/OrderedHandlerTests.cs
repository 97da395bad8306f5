using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Hosting.Tests.Support;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Handlers;

/// <summary>Handlers registered with <see cref="SinkOrdering.PerConversation"/>.</summary>
public sealed class OrderedHandlerTests
{
    private const string Sink = "ordered";
    private const string PhoneNumberId = "106540352242922";

    /// <summary>What an ordered handler saw: each conversation's wamids in the order handed over, and any overlap.</summary>
    internal sealed class Seen
    {
        private readonly ConcurrentDictionary<string, int> _running = new();

        public ConcurrentDictionary<string, ConcurrentQueue<string>> ByCustomer { get; } = new();

        public ConcurrentQueue<string> Late { get; } = new();

        public int Overlaps;

        public async Task HandleAsync(WabaHookContext<InboundMessage> context, Func<string, bool> fails)
        {
            var customer = context.Payload.From!;
            if (_running.AddOrUpdate(customer, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref Overlaps);
            }

            try
            {
                // A yield, so two invocations of one conversation, had they been started together, would overlap here.
                await Task.Yield();
                if (fails(context.Payload.Wamid))
                {
                    throw new InvalidOperationException($"poisoned {context.Payload.Wamid}");
                }

                if (context.IsLate)
                {
                    Late.Enqueue(context.Payload.Wamid);
                }

                ByCustomer.GetOrAdd(customer, _ => new()).Enqueue(context.Payload.Wamid);
            }
            finally
            {
                _running.AddOrUpdate(customer, 0, (_, n) => n - 1);
            }
        }
    }

    /// <summary>A delivery of one text message from <paramref name="customer"/>, stamped <paramref name="timestamp"/> by Meta.</summary>
    internal static byte[] Text(string customer, string wamid, long timestamp) => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{PhoneNumberId}}}"},"contacts":[{"profile":{"name":"C"},"wa_id":"{{{customer}}}"}],"messages":[{"from":"{{{customer}}}","id":"{{{wamid}}}","timestamp":"{{{timestamp}}}","type":"text","text":{"body":"{{{wamid}}}"}}]}}]}]}""");

    /// <summary>
    /// <paramref name="conversations"/> customers with <paramref name="perConversation"/> messages each, one message per
    /// delivery, the deliveries in a shuffled order. Wamids are <c>c{customer}-m{n}</c>, stamped in the order of n.
    /// </summary>
    internal static byte[][] Shuffled(int conversations, int perConversation, int seed)
    {
        var bodies = new List<byte[]>();
        for (var c = 0; c < conversations; c++)
        {
            for (var m = 0; m < perConversation; m++)
            {
                bodies.Add(Text($"4477009{c:D5}", $"c{c}-m{m}", 1_700_000_000 + m));
            }
        }

        var array = bodies.ToArray();
        new Random(seed).Shuffle(array);
        return array;
    }

    private static Task<Worker> StartAsync(string dataDir, Seen seen, Func<string, bool> fails, int maxAttempts = 8) =>
        Worker.StartAsync(
            dataDir,
            hooks =>
            {
                hooks.Services.Configure<WabaHooksOptions>(o =>
                {
                    o.Handlers.ReorderWindow = TimeSpan.Zero;
                    o.Handlers.MaxConcurrency = 16;
                    o.Handlers.MaxAttempts = maxAttempts;
                });
                hooks.OnMessage((context, _) => seen.HandleAsync(context, fails), name: Sink, ordering: SinkOrdering.PerConversation);
            });

    private static string[] InOrder(int customer, int count) => [.. Enumerable.Range(0, count).Select(m => $"c{customer}-m{m}")];

    [Fact]
    public async Task Shuffled_deliveries_of_each_conversation_reach_an_ordered_handler_in_Metas_timestamp_order_one_at_a_time()
    {
        using var dir = new TempDirectory();
        const int Conversations = 12, PerConversation = 8;
        // Stored before the worker starts, so the processor commits them in one batch, out of order.
        await ReceivingProcess.AppendAsync(dir.Path, Shuffled(Conversations, PerConversation, seed: 16));
        var seen = new Seen();

        await using var worker = await StartAsync(dir.Path, seen, _ => false);
        await Await.UntilAsync(() => worker.BacklogAsync(Sink), b => b.Done == Conversations * PerConversation, "every message handled");

        for (var c = 0; c < Conversations; c++)
        {
            Assert.Equal(InOrder(c, PerConversation), seen.ByCustomer[$"4477009{c:D5}"]);
        }

        Assert.Equal(0, seen.Overlaps);
        Assert.Empty(seen.Late);
    }

    [Fact]
    public async Task A_poisoned_event_holds_back_its_own_conversation_and_no_other()
    {
        using var dir = new TempDirectory();
        await ReceivingProcess.AppendAsync(dir.Path, Shuffled(4, 5, seed: 7));
        var seen = new Seen();
        var poisoned = 1;

        await using var worker = await StartAsync(dir.Path, seen, wamid => wamid == "c2-m1" && Volatile.Read(ref poisoned) == 1, maxAttempts: 1000);
        // Every other conversation finishes, and customer 2 stops at its poisoned second message, which keeps failing.
        await Await.UntilAsync(
            () => worker.Work.ListAttemptsAsync("msg:c2-m1", Sink, TestContext.Current.CancellationToken),
            attempts => attempts.Count >= 3,
            "the poisoned message retried");
        await Await.UntilAsync(() => worker.BacklogAsync(Sink), b => b.Done == 3 * 5 + 1, "the other conversations handled");

        Assert.Equal(["c2-m0"], seen.ByCustomer["447700900002"]);
        foreach (var c in new[] { 0, 1, 3 })
        {
            Assert.Equal(InOrder(c, 5), seen.ByCustomer[$"4477009{c:D5}"]);
        }

        Volatile.Write(ref poisoned, 0);
        await Await.UntilAsync(() => worker.BacklogAsync(Sink), b => b.Done == 4 * 5, "the held conversation resumed");
        Assert.Equal(InOrder(2, 5), seen.ByCustomer["447700900002"]);
        Assert.Equal(0, seen.Overlaps);
    }

    [Fact]
    public async Task Dead_lettering_an_event_releases_its_conversation_visibly()
    {
        using var dir = new TempDirectory();
        await ReceivingProcess.AppendAsync(dir.Path, Shuffled(2, 3, seed: 3));
        var seen = new Seen();

        await using var worker = await StartAsync(dir.Path, seen, wamid => wamid == "c0-m0", maxAttempts: 2);
        await Await.UntilAsync(() => worker.BacklogAsync(Sink), b => b.Done == 5 && b.Dead == 1, "the rest handled after the dead letter");

        Assert.Equal(["c0-m1", "c0-m2"], seen.ByCustomer["447700900000"]);
        var letter = Assert.Single(await worker.Work.ListDeadLettersAsync(Sink, 10, TestContext.Current.CancellationToken));
        Assert.Contains($"conversation {PhoneNumberId}:447700900000 released", letter.LastError, StringComparison.Ordinal);
        var attempts = await worker.Work.ListAttemptsAsync("msg:c0-m0", Sink, TestContext.Current.CancellationToken);
        Assert.Contains("released", attempts[^1].Error, StringComparison.Ordinal);
        Assert.DoesNotContain("released", attempts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_earlier_message_stored_after_a_later_one_was_handled_is_handed_over_marked_late()
    {
        using var dir = new TempDirectory();
        await ReceivingProcess.AppendAsync(dir.Path, Text("447700900000", "c0-m1", 1_700_000_001));
        var seen = new Seen();
        await using var worker = await StartAsync(dir.Path, seen, _ => false);
        await Await.UntilAsync(() => worker.BacklogAsync(Sink), b => b.Done == 1, "the later message handled");

        await ReceivingProcess.AppendAsync(dir.Path, Text("447700900000", "c0-m0", 1_700_000_000));

        await Await.UntilAsync(() => worker.BacklogAsync(Sink), b => b.Done == 2, "the earlier message handled");
        Assert.Equal(["c0-m1", "c0-m0"], seen.ByCustomer["447700900000"]);
        Assert.Equal(["c0-m0"], seen.Late);
    }
}
