using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Writes attempt outcomes in batches: with many requests in flight, each commit records all that finished meanwhile
/// instead of paying one commit per event. An outcome that cannot be written after a few tries is given up: its item
/// stays leased until the lease runs out and is then sent again, so at-least-once still holds.
/// </summary>
internal sealed class OutcomeRecorder
{
    private const int MaxBatch = 512;
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    private readonly Channel<SinkOutcome> _outcomes = Channel.CreateUnbounded<SinkOutcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ISinkWorkStore _work;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action? _releasedConversations;
    private readonly Task _writing;

    /// <param name="work">Where outcomes are written.</param>
    /// <param name="time">For the pauses between tries.</param>
    /// <param name="logger">Where outcomes given up are logged.</param>
    /// <param name="releasedConversations">
    /// Called after a batch that released conversations of ordered destinations is written: their next events are due
    /// from that commit, not from when the request's slot was freed, so the loops are woken again then.
    /// </param>
    public OutcomeRecorder(ISinkWorkStore work, TimeProvider time, ILogger logger, Action? releasedConversations = null)
    {
        _work = work;
        _time = time;
        _logger = logger;
        _releasedConversations = releasedConversations;
        _writing = Task.Run(WriteAsync);
    }

    /// <summary>Queues an outcome; it is written with the next batch.</summary>
    public void Post(SinkOutcome outcome)
    {
        if (!_outcomes.Writer.TryWrite(outcome))
        {
            // Only after Complete: shutdown has passed the point of recording; the lease brings the item back.
            DestinationLog.RecordFailed(_logger, outcome.Item.Sink, outcome.Item.EventId, "shutting down");
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public Task CompleteAsync()
    {
        _outcomes.Writer.TryComplete();
        return _writing;
    }

    private async Task WriteAsync()
    {
        var batch = new List<SinkOutcome>(MaxBatch);
        while (await _outcomes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _outcomes.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            await WriteBatchAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<SinkOutcome> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Not cancellable: an outcome reached during shutdown is still worth keeping.
                await _work.RecordAttemptsAsync([.. batch], CancellationToken.None).ConfigureAwait(false);
                if (_releasedConversations is not null && batch.Exists(o => o.Item.ConversationKey is not null))
                {
                    _releasedConversations();
                }

                return;
            }
            catch (Exception ex)
            {
                // Whatever the store throws, the recorder must outlive it: the dispatch loops depend on it.
                if (attempt == RetryDelays.Length || ex is ObjectDisposedException)
                {
                    foreach (var outcome in batch)
                    {
                        DestinationLog.RecordFailed(_logger, outcome.Item.Sink, outcome.Item.EventId, ex.GetType().Name);
                    }

                    return;
                }

                await Task.Delay(RetryDelays[attempt], _time).ConfigureAwait(false);
            }
        }
    }
}
