using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Graph.Tests.Watchdog;

/// <summary>
/// A real SQLite store on the test's fake clock, so the watchdog reads last-seen times exactly as it does in serve,
/// and the tests choose when each event was stored.
/// </summary>
internal sealed class RecordedEvents : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private int _next;

    public RecordedEvents(TimeProvider time)
    {
        Store = new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db"), TimeProvider = time });
        Store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public SqliteStore Store { get; }

    /// <summary>Stores one event for a WABA and phone number, stamped with the store's (fake) now.</summary>
    public void Add(string wabaId, string? phoneNumberId)
    {
        var n = Interlocked.Increment(ref _next);
        var e = new NewEvent($"msg:wamid.watch-{n}", "messages.text", "messages", wabaId, phoneNumberId, null, 0, "{}"u8.ToArray(), null, []);
        Store.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(n, null, [e])]), CancellationToken.None).GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _dir.Dispose();
    }
}
