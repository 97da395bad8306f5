using System.Text;
using System.Text.Json.Nodes;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Inbox;
using WabaHooks.Sqlite;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>An HTTP destination with <c>"Ordering": "perconversation"</c>, behind a real <c>wabahooks serve</c>.</summary>
public sealed class OrderedDestinationTests : IDisposable
{
    private const string AppSecret = "0123456789abcdef0123456789abcdef";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataDir => _dir.Combine("data");

    private string[] ServeArgs => ["--config", _dir.Combine("wabahooks.json"), "--urls", "http://127.0.0.1:0", "--data-dir", DataDir, "--verify-token", "t", "--app-secret", AppSecret];

    private static string Customer(int c) => $"4477009{c:D5}";

    /// <summary>One text message per delivery; <c>c{c}-m{m}</c> stamped by Meta in the order of m; deliveries shuffled.</summary>
    internal static byte[][] Shuffled(int conversations, int perConversation, int seed)
    {
        var bodies = new List<byte[]>();
        for (var c = 0; c < conversations; c++)
        {
            for (var m = 0; m < perConversation; m++)
            {
                bodies.Add(Encoding.UTF8.GetBytes(
                    $$$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550142233","phone_number_id":"118765432100002"},"messages":[{"from":"{{{Customer(c)}}}","id":"c{{{c}}}-m{{{m}}}","timestamp":"{{{1_767_261_601 + m}}}","type":"text","text":{"body":"m{{{m}}}"}}]}}]}]}"""));
            }
        }

        var array = bodies.ToArray();
        new Random(seed).Shuffle(array);
        return array;
    }

    /// <summary>
    /// Stores the deliveries as the receiving side would, before serve starts, so its processor splits them in one batch
    /// out of order: the order the destination sees is then the ordering's doing, not the arrival's.
    /// </summary>
    private async Task StoreAsync(byte[][] bodies)
    {
        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        await store.AppendAsync([.. bodies.Select(b => new InboundDelivery(b, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(b)))], TestContext.Current.CancellationToken);
    }

    private void WriteConfig(Uri url)
    {
        var destination = DestinationConfig.Event("ordered", url);
        destination["Ordering"] = "perconversation";
        destination["ReorderWindow"] = 0;
        destination["Timeout"] = 1;
        destination["MaxConcurrency"] = 16;
        DestinationConfig.Write(_dir.Combine("wabahooks.json"), [destination]);
    }

    /// <summary>Each conversation's event ids in the order the destination first received them (a resend after a crash counts once).</summary>
    private static Dictionary<string, List<string>> FirstReceiptsByConversation(DestinationServer server)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var byConversation = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var key in server.Received.Select(r => r.KeyOfEvent()))
        {
            if (seen.Add(key))
            {
                var conversation = key[..key.IndexOf('-', StringComparison.Ordinal)];
                (byConversation.TryGetValue(conversation, out var list) ? list : byConversation[conversation] = []).Add(key);
            }
        }

        return byConversation;
    }

    private static string[] InOrder(int c, int count) => [.. Enumerable.Range(0, count).Select(m => $"msg:c{c}-m{m}")];

    [Fact]
    public async Task Shuffled_deliveries_reach_an_ordered_destination_in_timestamp_order_per_conversation_across_a_kill_and_restart()
    {
        const int Conversations = 6, PerConversation = 8, Total = Conversations * PerConversation;
        await using var server = await DestinationServer.StartAsync();
        // The first 20 requests are answered; later ones hang, so the kill finds requests in flight mid-conversation.
        var hang = 1;
        server.Respond = (_, number, _) => Task.FromResult<int?>(number > 20 && Volatile.Read(ref hang) == 1 ? null : 200);
        WriteConfig(server.Url);
        await StoreAsync(Shuffled(Conversations, PerConversation, seed: 42));

        var (serve, _) = await CliProcess.StartServeAsync(ServeArgs, _dir.Path);
        await using (serve)
        {
            await server.WaitUntilAsync(r => r.Count > 20, Bound, "requests beyond the first 20");
            serve.Kill();
        }

        Volatile.Write(ref hang, 0);
        var (restarted, _) = await CliProcess.StartServeAsync(ServeArgs, _dir.Path);
        await using (restarted)
        {
            // The killed instance's leases run out (timeout + 30 s) before the conversations it held go on.
            await server.WaitUntilAsync(_ => server.AcceptedKeys(meta: false).Distinct().Count() == Total, Bound, "every event accepted");
        }

        var received = FirstReceiptsByConversation(server);
        for (var c = 0; c < Conversations; c++)
        {
            Assert.Equal(InOrder(c, PerConversation), received[$"msg:c{c}"]);
        }

    }

    [Fact]
    public async Task A_failing_event_holds_back_its_conversation_at_an_ordered_destination_and_no_other()
    {
        const int Conversations = 4, PerConversation = 5;
        await using var server = await DestinationServer.StartAsync();
        var poisoned = 1;
        var running = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var overlaps = 0;
        server.Respond = async (r, _, ct) =>
        {
            var key = r.KeyOfEvent();
            var conversation = key[..key.IndexOf('-', StringComparison.Ordinal)];
            if (running.AddOrUpdate(conversation, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            // Long enough that a second request of the conversation, had it been sent meanwhile, would overlap.
            await Task.Delay(5, ct);
            running.AddOrUpdate(conversation, 0, (_, n) => n - 1);
            return key == "msg:c1-m2" && Volatile.Read(ref poisoned) == 1 ? 500 : 200;
        };
        WriteConfig(server.Url);
        await StoreAsync(Shuffled(Conversations, PerConversation, seed: 9));

        var (serve, _) = await CliProcess.StartServeAsync(ServeArgs, _dir.Path);
        await using (serve)
        {
            await server.WaitUntilAsync(
                r => r.Count(x => x.KeyOfEvent() == "msg:c1-m2") >= 3 && server.AcceptedKeys(meta: false).Distinct().Count() == (Conversations - 1) * PerConversation + 2,
                Bound,
                "the other conversations delivered while c1-m2 keeps failing");
            Assert.DoesNotContain(server.Received, r => r.KeyOfEvent() is "msg:c1-m3" or "msg:c1-m4");

            Volatile.Write(ref poisoned, 0);
            await server.WaitUntilAsync(_ => server.AcceptedKeys(meta: false).Distinct().Count() == Conversations * PerConversation, Bound, "the held conversation resumed");
        }

        var received = FirstReceiptsByConversation(server);
        for (var c = 0; c < Conversations; c++)
        {
            Assert.Equal(InOrder(c, PerConversation), received[$"msg:c{c}"]);
        }

        Assert.Equal(0, Volatile.Read(ref overlaps));
    }
}
