using WabaHooks.Inbox;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// An in-process handler with <c>Ordering = PerConversation</c>, in an app that embeds WabaHooks on SQLite
/// (WabaHooks.InstanceHost), killed with SIGKILL mid-conversation and started again: the handler-side twin of
/// <see cref="OrderedDestinationTests"/>.
/// </summary>
public sealed class OrderedHandlerKillTests : IDisposable
{
    private const string AppSecret = "0123456789abcdef0123456789abcdef";
    private const string Sink = "handled-file";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataDir => _dir.Combine("data");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Stores the deliveries as the receiving side would, before the app starts, so its processor splits them in one
    /// batch out of order: the order the handler sees is then the ordering's doing, not the arrival's.
    /// </summary>
    private async Task StoreAsync(byte[][] bodies)
    {
        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
        await store.InitializeAsync(Ct);
        await store.AppendAsync([.. bodies.Select(b => new InboundDelivery(b, DateTimeOffset.UtcNow, "app", DeliveryClassifier.Classify(b)))], Ct);
    }

    /// <summary>The app with its ordered handler, which writes each event id to <paramref name="handledFile"/> and then works 100 ms more.</summary>
    private async Task<CliProcess> StartAsync(string handledFile)
    {
        var process = CliProcess.StartDll(
            "WabaHooks.InstanceHost.dll",
            ["--port", "0", "--sqlite", DataDir, "--verify-token", "t", "--app-secret", "app:" + AppSecret, "--handled-file", handledFile,
             "--handler-delay-ms", "100", "--ordered", "true"],
            _dir.Path);
        try
        {
            await process.WaitForOutputAsync("Listening on ", TimeSpan.FromSeconds(60));
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>The event ids a process's handler wrote, in order; a line the kill cut short (no newline) is left out.</summary>
    private static List<string> Lines(string file) =>
        File.Exists(file) ? [.. File.ReadAllText(file).Split('\n').SkipLast(1)] : [];

    private static string ConversationOf(string eventId) => eventId[..eventId.IndexOf('-', StringComparison.Ordinal)];

    private static string[] InOrder(int c, int count) => [.. Enumerable.Range(0, count).Select(m => $"msg:c{c}-m{m}")];

    [Fact]
    public async Task An_ordered_handler_killed_mid_conversation_hands_over_each_conversation_in_order_after_restart_repeating_only_what_was_in_flight()
    {
        const int Conversations = 6, PerConversation = 8, Total = Conversations * PerConversation;
        await StoreAsync(OrderedDestinationTests.Shuffled(Conversations, PerConversation, seed: 7));
        var before = _dir.Combine("handled-1.txt");
        var after = _dir.Combine("handled-2.txt");

        var first = await StartAsync(before);
        await using (first)
        {
            // Each invocation takes 100 ms after writing its line: a kill once 20 are written lands with handlers running.
            await Await.UntilAsync(() => Task.FromResult(Lines(before).Count), n => n >= 20, "20 events handled", Bound);
            first.Kill();
        }

        var killedAt = Lines(before);
        var second = await StartAsync(after);
        await using (second)
        {
            // The killed process's leases run out (Handlers:Timeout 2 s + 30 s) before the conversations it held go on.
            await Await.UntilAsync(() => Task.FromResult(killedAt.Union(Lines(after)).Count()), n => n == Total, "every event handled", Bound);
            await Await.UntilAsync(
                async () =>
                {
                    await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(DataDir));
                    return (await store.GetBacklogAsync(Ct)).Single(b => b.Sink == Sink);
                },
                b => b.Done == Total,
                "every pair marked done",
                Bound);
        }

        var resumed = Lines(after);
        // First receipts per conversation, across the kill: each conversation in Meta's timestamp order.
        var firstReceipts = killedAt.Concat(resumed).Distinct().ToList();
        for (var c = 0; c < Conversations; c++)
        {
            Assert.Equal(InOrder(c, PerConversation), firstReceipts.Where(id => ConversationOf(id) == $"msg:c{c}"));
        }

        // Each process handed each event over at most once; after the crash every event not done went exactly once.
        Assert.Equal(killedAt.Count, killedAt.Distinct().Count());
        Assert.Equal(resumed.Count, resumed.Distinct().Count());
        Assert.Equal(Total, killedAt.Union(resumed).Count());
        // A repeat is only what was in flight at the kill: at most one event per conversation, the last it had started.
        var repeated = killedAt.Intersect(resumed).ToList();
        Assert.All(repeated, id => Assert.Equal(id, killedAt.Last(k => ConversationOf(k) == ConversationOf(id))));
        Assert.Equal(repeated.Count, repeated.Select(ConversationOf).Distinct().Count());
        Assert.True(killedAt.Count < Total, "the kill landed after every event was handled");
    }
}
