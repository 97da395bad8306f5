using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// The group-commit writer over every store: concurrent appends share transactions, a failed commit fails only the
/// appends it carried, and completing commits what is queued. SQLite and PostgreSQL derive from it.
/// </summary>
public abstract class GroupCommitWriterContract : StoreContract<IDeliveryStore>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Makes another connection hold the store's write lock until the returned handle is disposed; the store's writes
    /// must then fail within a second.
    /// </summary>
    protected abstract Task<IAsyncDisposable> HoldWriteLockAsync();

    private static InboundDelivery Delivery(int n) =>
        new(Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"), DateTimeOffset.FromUnixTimeSeconds(1_767_261_601), "app", DeliveryFlags.None);

    [Fact]
    public async Task Concurrent_appends_share_transactions_and_each_gets_its_own_id()
    {
        var gated = new GatedStore(Store);
        var writer = new GroupCommitWriter(gated, new GroupCommitOptions());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = writer.RunAsync(stop.Token);

        // The first append occupies the writer; the next 99 queue behind it and must commit together.
        var first = writer.AppendAsync(Delivery(0), Ct);
        await gated.Entered.WaitAsync(Bound, Ct);
        var rest = Enumerable.Range(1, 99).Select(i => writer.AppendAsync(Delivery(i), Ct)).ToList();
        await WaitUntilQueuedAsync(writer, rest.Count);
        gated.Release();

        var ids = await Task.WhenAll([first, .. rest]).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        writer.Complete();
        await run.WaitAsync(Bound, Ct);

        Assert.Equal(100, ids.Distinct().Count());
        Assert.Equal(2, writer.CommittedBatches);
        for (var i = 0; i < ids.Length; i++)
        {
            var stored = await Store.GetAsync(ids[i], Ct);
            Assert.Equal($"{{\"n\":{i}}}", Encoding.UTF8.GetString(stored!.Body.Span));
        }
    }

    [Fact]
    public async Task A_batch_that_cannot_commit_fails_every_waiting_append_and_the_writer_carries_on()
    {
        var writer = new GroupCommitWriter(Store, new GroupCommitOptions());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = writer.RunAsync(stop.Token);

        await using (await HoldWriteLockAsync())
        {
            var appends = Enumerable.Range(0, 5).Select(i => writer.AppendAsync(Delivery(i), Ct)).ToList();
            foreach (var append in appends)
            {
                await Assert.ThrowsAsync<StoreUnavailableException>(() => append.WaitAsync(Bound, Ct));
            }
        }

        var id = await writer.AppendAsync(Delivery(99), Ct).WaitAsync(Bound, Ct);
        writer.Complete();
        await run.WaitAsync(Bound, Ct);
        Assert.NotNull(await Store.GetAsync(id, Ct));
        Assert.Single(await Store.ListAsync(10, null, Ct));
    }

    [Fact]
    public async Task Completing_commits_everything_already_queued()
    {
        var gated = new GatedStore(Store);
        var writer = new GroupCommitWriter(gated, new GroupCommitOptions());
        var run = writer.RunAsync(CancellationToken.None);
        var first = writer.AppendAsync(Delivery(0), Ct);
        await gated.Entered.WaitAsync(Bound, Ct);
        var queued = Enumerable.Range(1, 10).Select(i => writer.AppendAsync(Delivery(i), Ct)).ToList();
        await WaitUntilQueuedAsync(writer, queued.Count);

        writer.Complete();
        gated.Release();
        await run.WaitAsync(Bound, Ct);

        var ids = await Task.WhenAll([first, .. queued]).WaitAsync(Bound, Ct);
        Assert.Equal(11, (await Store.ListAsync(100, null, Ct)).Count);
        Assert.Equal(11, ids.Distinct().Count());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => writer.AppendAsync(Delivery(12), Ct));
    }

    [Fact]
    public async Task An_append_abandoned_before_the_writer_takes_it_is_not_stored()
    {
        var gated = new GatedStore(Store);
        var writer = new GroupCommitWriter(gated, new GroupCommitOptions());
        var run = writer.RunAsync(CancellationToken.None);
        var first = writer.AppendAsync(Delivery(0), Ct);
        await gated.Entered.WaitAsync(Bound, Ct);

        using var giveUp = new CancellationTokenSource();
        var abandoned = writer.AppendAsync(Delivery(1), giveUp.Token);
        await WaitUntilQueuedAsync(writer, 1);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        gated.Release();
        await first.WaitAsync(Bound, Ct);
        writer.Complete();
        await run.WaitAsync(Bound, Ct);
        Assert.Single(await Store.ListAsync(10, null, Ct));
    }

    private static Task WaitUntilQueuedAsync(GroupCommitWriter writer, int count) =>
        Await.UntilAsync(() => writer.QueuedCount >= count, $"{count} appends queued behind the one being written");

    /// <summary>The real store, with its first append held until released: makes batching observable.</summary>
    private sealed class GatedStore(IDeliveryStore inner) : IDeliveryStore
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Entered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<InboundDelivery> batch, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _entered.TrySetResult();
                await _release.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            }

            return await inner.AppendAsync(batch, cancellationToken);
        }

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task<IReadOnlyList<DeliverySummary>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken) => inner.ListAsync(limit, beforeId, cancellationToken);

        public Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public Task<IReadOnlyList<Delivery>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) => inner.ReadAfterAsync(afterId, limit, cancellationToken);

        public Task<IReadOnlyList<Delivery>> ReadUnprocessedAsync(int limit, CancellationToken cancellationToken) => inner.ReadUnprocessedAsync(limit, cancellationToken);

        public Task CheckWritableAsync(CancellationToken cancellationToken) => inner.CheckWritableAsync(cancellationToken);
    }
}
