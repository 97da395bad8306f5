using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Handlers;

/// <summary>
/// Feeds one handler: claims its due work up to its free slots, rebuilds each event from its delivery, and starts each
/// invocation without awaiting it. Every handler has its own loop and its own slots, so one that fails or hangs only
/// ever uses up its own.
/// </summary>
internal sealed class HandlerSinkLoop(
    HandlerRegistration handler,
    HandlerInvoker invoker,
    ISinkWorkStore work,
    IDeliveryStore deliveries,
    SinkWorkSignal signal,
    HandlerOptions options,
    TimeProvider time,
    ILogger logger) : ISinkLoop
{
    private readonly InFlight _inFlight = new();

    // Longer than the timeout, so a live invocation's work is never claimed twice; short enough that a crashed
    // process's work is picked up again soon.
    private TimeSpan Lease => options.Timeout + TimeSpan.FromSeconds(30);

    /// <summary>Invocations started and not yet recorded.</summary>
    public IReadOnlyCollection<Task> Running => _inFlight.Running;

    public async Task RunAsync(CancellationToken stopClaiming, CancellationToken abort)
    {
        while (!stopClaiming.IsCancellationRequested)
        {
            // Taken before claiming, so a signal raised while claiming still wakes the next wait.
            var stored = signal.WaitAsync();
            var freed = _inFlight.Freed;
            var free = options.MaxConcurrency - _inFlight.Count;
            if (free > 0)
            {
                try
                {
                    await ClaimAndStartAsync(free, abort).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Whatever the store throws, this handler's loop must outlive it.
                    HandlerLog.ClaimFailed(logger, handler.Name, ex.GetType().Name);
                }
            }

            // With every slot busy, only a freed slot helps; otherwise new events or the poll interval.
            var full = options.MaxConcurrency - _inFlight.Count <= 0;
            using var pause = CancellationTokenSource.CreateLinkedTokenSource(stopClaiming);
            var poll = Task.Delay(options.PollInterval, time, pause.Token);
            await (full ? Task.WhenAny(freed, poll) : Task.WhenAny(stored, freed, poll)).ConfigureAwait(false);
            await pause.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task ClaimAndStartAsync(int free, CancellationToken abort)
    {
        var items = await ConversationOrder.ClaimAsync(work, handler.Name, handler.Ordering, options.ReorderWindow, free, time.GetUtcNow(), Lease)
            .ConfigureAwait(false);
        foreach (var fromOneDelivery in items.GroupBy(i => i.DeliveryId))
        {
            var events = await DeliveryEvents.LoadAsync(deliveries, fromOneDelivery.Key).ConfigureAwait(false);
            foreach (var item in fromOneDelivery)
            {
                if (events is null)
                {
                    _inFlight.Start(() => invoker.GiveUpAsync(item, $"delivery {item.DeliveryId} is no longer in the inbox"));
                }
                else if (!events.TryGet(item, out var e))
                {
                    _inFlight.Start(() => invoker.GiveUpAsync(item, $"delivery {item.DeliveryId} no longer yields event {item.EventId}"));
                }
                else if (!handler.Accepts(e))
                {
                    _inFlight.Start(() => invoker.GiveUpAsync(item, $"event {item.EventId} ({e.Type}) no longer matches this handler"));
                }
                else
                {
                    _inFlight.Start(() => invoker.RunAsync(item, e, events.Delivery.Summary.TraceParent, abort));
                }
            }
        }
    }
}
