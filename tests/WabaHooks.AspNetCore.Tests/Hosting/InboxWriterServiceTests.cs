using Microsoft.Extensions.Logging.Abstractions;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Hosting.Processing;
using WabaHooks.Inbox;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Hosting;

public sealed class InboxWriterServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_shutdown_that_times_out_still_lets_the_commit_in_flight_finish_before_the_store_is_disposed()
    {
        await using var sqlite = new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db") });
        var store = new GatedStore(sqlite);
        var writer = new GroupCommitWriter(store, new GroupCommitOptions());
        var service = new InboxWriterService(store, writer, NullLogger<InboxWriterService>.Instance);
        await service.StartAsync(Ct);

        var append = writer.AppendAsync(new InboundDelivery("{}"u8.ToArray(), DateTimeOffset.UtcNow, "app", DeliveryFlags.None), Ct);
        await store.CommitStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // The host's shutdown timeout has already run out.
        var stop = service.StopAsync(new CancellationToken(canceled: true));
        Assert.False(stop.IsCompleted, "StopAsync returned while a commit was still in the store");
        Assert.False(store.Disposed);

        store.ReleaseCommit.SetResult();
        await stop.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(store.Disposed);
        Assert.False(store.DisposedDuringCommit);
        Assert.Equal(1, await append.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    /// <summary>The real store, whose commits wait at a gate the test opens; it notes a disposal that races a commit.</summary>
    private sealed class GatedStore(SqliteStore inner) : IDeliveryStore, IAsyncDisposable
    {
        private int _committing;

        public TaskCompletionSource CommitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseCommit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed { get; private set; }

        public bool DisposedDuringCommit { get; private set; }

        public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<InboundDelivery> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _committing);
            try
            {
                CommitStarted.TrySetResult();
                await ReleaseCommit.Task.ConfigureAwait(false);
                return await inner.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _committing);
            }
        }

        public ValueTask DisposeAsync()
        {
            DisposedDuringCommit |= Volatile.Read(ref _committing) > 0;
            Disposed = true;
            return ValueTask.CompletedTask;
        }

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task<IReadOnlyList<DeliverySummary>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken) => inner.ListAsync(limit, beforeId, cancellationToken);

        public Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<Delivery>> ReadUnprocessedAsync(int limit, CancellationToken cancellationToken) => inner.ReadUnprocessedAsync(limit, cancellationToken);

        public Task<IReadOnlyList<Delivery>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) => inner.ReadAfterAsync(afterId, limit, cancellationToken);

        public Task CheckWritableAsync(CancellationToken cancellationToken) => inner.CheckWritableAsync(cancellationToken);
    }
}
