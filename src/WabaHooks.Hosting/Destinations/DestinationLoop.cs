using System.Diagnostics;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Events;
using WabaHooks.Destinations;
using WabaHooks.Media;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Feeds one destination, whatever its transport: claims its due work up to its free request slots (one slot while the
/// circuit is open and the pause is over, none before), rebuilds the events from their deliveries, and starts the sends
/// without awaiting them. Over HTTP in Meta's format the claimed events of one delivery travel in one request, as one
/// narrowed envelope; otherwise each event is its own message (in Meta's format, an envelope narrowed to it). Outcomes
/// go to the <see cref="OutcomeRecorder"/>.
/// </summary>
internal sealed class DestinationLoop(
    DestinationOptions destination,
    IDestinationTransport transport,
    ISinkWorkStore work,
    IDeliveryStore deliveries,
    SinkWorkSignal signal,
    OutcomeRecorder recorder,
    TimeSpan pollInterval,
    WabaHooksMetrics metrics,
    TimeProvider time,
    ILogger logger,
    DestinationMedia? media = null) : ISinkLoop
{
    private readonly InFlight _inFlight = new();
    private readonly DestinationOptions _destination = destination;
    private readonly CircuitBreaker _breaker = new(destination.CircuitBreaker, time);

    /// <summary>How the destination stands in this process.</summary>
    public DestinationStatus Status() => new(_destination.Name, _breaker.State, _breaker.OpenUntil, _inFlight.Count);

    /// <summary>Requests started and not yet finished.</summary>
    public IReadOnlyCollection<Task> Running => _inFlight.Running;

    // Longer than a request may take, so a live request's work is never claimed twice; short enough that a crashed
    // process's work is picked up again soon.
    private TimeSpan Lease => _destination.Timeout + TimeSpan.FromSeconds(30);

    private string Name => _destination.Name;

    public async Task RunAsync(CancellationToken stopClaiming, CancellationToken abort)
    {
        while (!stopClaiming.IsCancellationRequested)
        {
            // Taken before claiming, so a signal raised while claiming still wakes the next wait.
            var stored = signal.WaitAsync();
            var freed = _inFlight.Freed;
            var admitted = _breaker.Admit(_destination.MaxConcurrency - _inFlight.Count, out var probe);
            if (admitted > 0)
            {
                var started = 0;
                try
                {
                    started = await ClaimAndStartAsync(admitted, abort).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Whatever the store throws, this destination's loop must outlive it.
                    DestinationLog.ClaimFailed(logger, Name, ex.GetType().Name);
                }

                if (probe && started == 0)
                {
                    _breaker.CancelProbe();
                }
            }

            // With every slot busy (or the circuit open), only a freed slot or the poll helps; otherwise new events too.
            var blocked = _destination.MaxConcurrency - _inFlight.Count <= 0 || _breaker.IsOpen;
            using var pause = CancellationTokenSource.CreateLinkedTokenSource(stopClaiming);
            var poll = Task.Delay(pollInterval, time, pause.Token);
            await (blocked ? Task.WhenAny(freed, poll) : Task.WhenAny(stored, freed, poll)).ConfigureAwait(false);
            await pause.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> ClaimAndStartAsync(int limit, CancellationToken abort)
    {
        var items = await ConversationOrder.ClaimAsync(
            work, _destination.SinkName, _destination.Ordering, _destination.ReorderWindow, limit, time.GetUtcNow(), Lease).ConfigureAwait(false);
        var requests = 0;
        foreach (var fromOneDelivery in items.GroupBy(i => i.DeliveryId))
        {
            var events = await DeliveryEvents.LoadAsync(deliveries, fromOneDelivery.Key).ConfigureAwait(false);
            var sendable = new List<(SinkWorkItem Item, WabaEvent Event, StoredMedia? Media)>();
            foreach (var item in fromOneDelivery)
            {
                ConversationOrder.NoteIfLate(item, metrics, logger);
                if (events is null)
                {
                    GiveUp(item, $"delivery {item.DeliveryId} is no longer in the inbox");
                }
                else if (!events.TryGet(item, out var e))
                {
                    GiveUp(item, $"delivery {item.DeliveryId} no longer yields event {item.EventId}");
                }
                else if (!_destination.Filter.Matches(e))
                {
                    GiveUp(item, $"event {item.EventId} ({e.Type}) no longer matches this destination's filter");
                }
                else if (media is null)
                {
                    sendable.Add((item, e, null));
                }
                else if (await LookUpMediaAsync(item, e, abort).ConfigureAwait(false) is { Ready: true } found)
                {
                    sendable.Add((item, e, found.Media));
                }
            }

            if (sendable.Count == 0)
            {
                continue;
            }

            var traceParent = events!.Delivery.Summary.TraceParent;
            if (!transport.OneEventPerMessage)
            {
                var claimed = sendable.Select(s => s.Item).ToArray();
                var carried = sendable.Select(s => s.Event).ToArray();
                if (TryBuild(claimed, () => events.NarrowTo(carried)) is { } envelope)
                {
                    var message = new DestinationMessage(claimed[0].EventId, envelope, carried);
                    _inFlight.Start(() => SendAsync(claimed, traceParent, message, abort));
                    requests++;
                }
            }
            else
            {
                foreach (var (item, e, kept) in sendable)
                {
                    var body = _destination.Format == DestinationFormat.Meta
                        ? TryBuild([item], () => events.NarrowTo([e]))
                        : TryBuild([item], () => EventEnvelope.Write(e, kept));
                    if (body is { } built)
                    {
                        var message = new DestinationMessage(item.EventId, built, [e]);
                        _inFlight.Start(() => SendAsync([item], traceParent, message, abort));
                        requests++;
                    }
                }
            }
        }

        return requests;
    }

    /// <param name="items">The claimed work the request carries, all from one delivery.</param>
    /// <param name="traceParent">The context stored with their delivery, for the attempt span's link.</param>
    /// <param name="message">What to send.</param>
    /// <param name="abort">Cancelled at shutdown.</param>
    private async Task SendAsync(SinkWorkItem[] items, string? traceParent, DestinationMessage message, CancellationToken abort)
    {
        // Current while the message is sent, so the transport's propagation (HttpClient's, the broker client's) gives it
        // this span's traceparent.
        using var activity = WabaHooksActivities.StartSinkAttempt(
            "send", ActivityKind.Producer, Name, items[0], items.Length, traceParent);
        var startedAt = time.GetUtcNow();
        DestinationResponse response;
        try
        {
            response = await transport.SendAsync(message, abort).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A transport should answer with a failure, not throw; one that throws still only fails this attempt.
            response = DestinationResponse.Refused(time.GetUtcNow() - startedAt, $"{ex.GetType().Name}: {ex.Message}");
        }

        if (activity is not null)
        {
            if (response.StatusCode is { } status)
            {
                activity.SetTag("http.response.status_code", status);
            }

            if (!response.Succeeded)
            {
                activity.SetStatus(ActivityStatusCode.Error, response.TimedOut ? "timeout" : "failed");
            }
        }

        var interrupted = !response.Succeeded && abort.IsCancellationRequested;
        metrics.DestinationAttempted(
            Name, WabaHooksMetrics.AttemptOutcomes.Of(response.StatusCode, response.Succeeded, response.TimedOut, interrupted), response.Latency);
        if (!interrupted)
        {
            RecordHealth(response);
        }

        var now = time.GetUtcNow();
        DateTimeOffset? firstRetry = null;
        foreach (var item in items)
        {
            var attempt = new SinkAttempt(
                item.EventId, item.Sink, item.Attempts + 1, startedAt, response.Latency, response.Succeeded, response.StatusCode,
                interrupted ? "interrupted by shutdown" : response.Error, response.Head);
            // Interrupted: not the destination's fault, so due again at once, here after a restart or in another process.
            var retryAt = response.Succeeded ? null : interrupted ? now : RetrySchedule.Next(_destination.Retry, item.ScheduledAt, attempt.Number, response.RetryAfter, now, Random.Shared);
            if (!response.Succeeded && retryAt is null)
            {
                metrics.DestinationDeadLettered(Name);
                DestinationLog.DeadLettered(logger, Name, item.EventId, attempt.Number, response.Error ?? "failed");
                attempt = attempt with { Error = ConversationOrder.DeadLetterError(item, response.Error ?? "failed", metrics, logger) };
            }

            firstRetry ??= interrupted ? null : retryAt;

            recorder.Post(new SinkOutcome(item, attempt, retryAt));
        }

        if (response.Succeeded)
        {
            DestinationLog.Delivered(logger, Name, items.Length, items[0].Attempts + 1, response.StatusCode is { } code ? $"HTTP {code}" : response.Head ?? "confirmed", (long)response.Latency.TotalMilliseconds);
        }
        else if (firstRetry is { } next)
        {
            DestinationLog.WillRetry(logger, Name, items.Length, items[0].Attempts + 1, response.Error ?? "failed", next);
        }
    }

    private void RecordHealth(DestinationResponse response)
    {
        var wasOpen = _breaker.IsOpen;
        if (_breaker.Record(response.Succeeded))
        {
            metrics.CircuitChanged(Name, opened: true);
            DestinationLog.Paused(logger, Name, response.Error ?? "failed", _breaker.OpenUntil ?? time.GetUtcNow());
        }
        else if (wasOpen && response.Succeeded)
        {
            metrics.CircuitChanged(Name, opened: false);
            DestinationLog.Resumed(logger, Name);
        }
    }

    /// <summary>
    /// The kept media of a media message's event, or, while the destination waits for media not kept yet (or that cannot
    /// be read), not ready: the try is then recorded as a failed attempt and retried under the destination's policy, the
    /// destination itself never asked, so its circuit and latency are not touched.
    /// </summary>
    private async Task<(bool Ready, StoredMedia? Media)> LookUpMediaAsync(SinkWorkItem item, WabaEvent e, CancellationToken abort)
    {
        string reason;
        try
        {
            var (kept, awaited) = await media!.LookUpAsync(e, abort).ConfigureAwait(false);
            if (awaited is null)
            {
                return (true, kept);
            }

            reason = $"waiting for the {awaited.Type} of message {awaited.Wamid} to be kept";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            reason = $"cannot read the kept media: {ex.GetType().Name}: {ex.Message}";
        }

        var now = time.GetUtcNow();
        var attempt = new SinkAttempt(item.EventId, item.Sink, item.Attempts + 1, now, TimeSpan.Zero, false, null, reason, null);
        var retryAt = RetrySchedule.Next(_destination.Retry, item.ScheduledAt, attempt.Number, null, now, Random.Shared);
        if (retryAt is null)
        {
            metrics.DestinationDeadLettered(Name);
            DestinationLog.DeadLettered(logger, Name, item.EventId, attempt.Number, reason);
            attempt = attempt with { Error = ConversationOrder.DeadLetterError(item, reason, metrics, logger) };
        }

        recorder.Post(new SinkOutcome(item, attempt, retryAt));
        return (false, null);
    }

    /// <summary>
    /// Builds a request body; a body that cannot be built (a shape the writers reject) would fail the same way on every
    /// attempt, so its events are dead-lettered with the reason instead of being retried.
    /// </summary>
    private ReadOnlyMemory<byte>? TryBuild(SinkWorkItem[] items, Func<ReadOnlyMemory<byte>> build)
    {
        try
        {
            return build();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            foreach (var item in items)
            {
                GiveUp(item, $"cannot build the request body: {ex.Message}");
            }

            return null;
        }
    }

    /// <summary>Dead-letters work that can no longer be sent (its delivery is gone, or it no longer matches).</summary>
    private void GiveUp(SinkWorkItem item, string reason)
    {
        var attempt = item.Attempts + 1;
        metrics.DestinationDeadLettered(Name);
        DestinationLog.DeadLettered(logger, Name, item.EventId, attempt, reason);
        reason = ConversationOrder.DeadLetterError(item, reason, metrics, logger);
        recorder.Post(new SinkOutcome(item, new SinkAttempt(item.EventId, item.Sink, attempt, time.GetUtcNow(), TimeSpan.Zero, false, null, reason, null), null));
    }
}
