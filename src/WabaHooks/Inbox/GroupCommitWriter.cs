using System.Diagnostics;
using System.Threading.Channels;
using WabaHooks.Diagnostics;
using WabaHooks.Storage;

namespace WabaHooks.Inbox;

/// <summary>
/// One writer for the inbox. Concurrent requests queue their deliveries; the writer takes everything waiting, commits it
/// in one durable transaction, and completes each request's task with its id. Under load, one fsync serves many
/// requests; with one request in flight, the cost is a single commit.
/// </summary>
public sealed class GroupCommitWriter
{
    private readonly IDeliveryStore _store;
    private readonly GroupCommitOptions _options;
    private readonly Channel<PendingAppend> _queue;
    private readonly IPipelineObserver? _observer;

    /// <summary>Creates a writer over a store. Call <see cref="RunAsync"/> to start committing.</summary>
    /// <param name="store">The inbox.</param>
    /// <param name="options">Batch and queue limits.</param>
    /// <param name="observer">Told each commit's size and duration, for metrics; optional.</param>
    public GroupCommitWriter(IDeliveryStore store, GroupCommitOptions options, IPipelineObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _observer = observer;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Number of transactions committed, for diagnostics and tests.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    private long _committedBatches;

    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes at the next commit. Lets the processor sleep until there is work instead of polling the store.
    /// </summary>
    public Task WaitForCommitAsync() => Volatile.Read(ref _committed).Task;

    /// <summary>
    /// Why the latest commit failed, or <see langword="null"/> when it succeeded (or none was tried yet). Readiness
    /// reads it: an instance whose inbox cannot commit answers every delivery 503 and should leave the load balancer.
    /// </summary>
    public StoreUnavailableException? LastCommitFailure => Volatile.Read(ref _lastCommitFailure);

    private StoreUnavailableException? _lastCommitFailure;

    /// <summary>Appends waiting for the writer to take them, for diagnostics and tests.</summary>
    public int QueuedCount => _queue.Reader.Count;

    /// <summary>
    /// Queues a delivery and completes when it is durable, with its inbox id.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The batch failed to commit, or the writer has stopped.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first; the delivery may or may not be stored.</exception>
    public async Task<long> AppendAsync(InboundDelivery delivery, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(delivery);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new StoreUnavailableException("The inbox writer is shutting down.");
        }

        using (cancellationToken.Register(static p => ((PendingAppend)p!).Abandon(), pending))
        {
            return await pending.Completion.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Stops taking new appends; <see cref="RunAsync"/> commits what is queued and returns.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Commits queued deliveries until <see cref="Complete"/> is called and the queue is empty. Cancelling
    /// <paramref name="abortToken"/> abandons what is queued (each waiting caller gets <see cref="StoreUnavailableException"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken abortToken)
    {
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        var deliveries = new List<InboundDelivery>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(abortToken).ConfigureAwait(false))
            {
                batch.Clear();
                deliveries.Clear();
                long bytes = 0;
                while (batch.Count < _options.MaxBatchSize
                       && (batch.Count == 0 || bytes < _options.MaxBatchBytes)
                       && reader.TryRead(out var next))
                {
                    // A caller that gave up (timeout, disconnect) was answered 503 and Meta will retry: don't store it now.
                    if (next.Completion.Task.IsCompleted)
                    {
                        continue;
                    }

                    batch.Add(next);
                    deliveries.Add(next.Delivery);
                    bytes += next.Delivery.Body.Length;
                }

                if (batch.Count > 0)
                {
                    await CommitAsync(batch, deliveries, abortToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (abortToken.IsCancellationRequested)
        {
            // Aborted: fail whatever is still queued so no caller waits forever.
        }
        finally
        {
            _queue.Writer.TryComplete();
            var error = new StoreUnavailableException("The inbox writer stopped before committing this delivery.");
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(error);
            }

            while (reader.TryRead(out var pending))
            {
                pending.Completion.TrySetException(error);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch, List<InboundDelivery> deliveries, CancellationToken abortToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var ids = await _store.AppendAsync(deliveries, abortToken).ConfigureAwait(false);
            _observer?.InboxCommitted(batch.Count, Stopwatch.GetElapsedTime(started), succeeded: true);
            Interlocked.Increment(ref _committedBatches);
            Volatile.Write(ref _lastCommitFailure, null);
            Interlocked.Exchange(ref _committed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(ids[i]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !abortToken.IsCancellationRequested)
        {
            _observer?.InboxCommitted(batch.Count, Stopwatch.GetElapsedTime(started), succeeded: false);
            var error = ex as StoreUnavailableException ?? new StoreUnavailableException("The inbox could not commit.", ex);
            Volatile.Write(ref _lastCommitFailure, error);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(error);
            }
        }

        batch.Clear();
    }

    private sealed class PendingAppend(InboundDelivery delivery)
    {
        public InboundDelivery Delivery { get; } = delivery;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Abandon() => Completion.TrySetCanceled();
    }
}
