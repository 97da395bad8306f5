using System.Diagnostics;
using WabaHooks.Diagnostics;
using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Processing;

/// <summary>
/// Turns committed deliveries into events, after the 200. It reads the inbox in order, from the oldest delivery not yet
/// marked processed, splits each delivery, and commits the new events, their sink work, the status view, the
/// deliveries' processed marks in one transaction: a crash at any point either keeps all of a batch or
/// none of it, and the redone batch dedupes on idempotency keys.
/// </summary>
/// <remarks>
/// No delivery can stop the others. A delivery whose content breaks splitting, typing or routing is marked failed with
/// the reason before the commit. A commit that fails for any reason other than <see cref="StoreUnavailableException"/>
/// was refused because of something in the batch, so the batch is halved until the delivery at fault is alone, and that
/// one is marked failed (quarantined) while the rest go through. Only the store being unavailable pauses processing.
/// </remarks>
public sealed class DeliveryProcessor
{
    /// <summary>Failure reasons are shown in listings and logs: long exception texts are cut to this.</summary>
    private const int MaxReasonLength = 500;

    private readonly IDeliveryStore _inbox;
    private readonly IEventStore _events;
    private readonly SinkRouter _router;
    private readonly ProcessorOptions _options;
    private readonly IPipelineObserver? _observer;
    private readonly ActivitySource? _activities;

    /// <summary>Creates a processor.</summary>
    /// <param name="inbox">Where deliveries are read.</param>
    /// <param name="events">Where events, their sink work and the processed marks are committed.</param>
    /// <param name="router">Which sinks each event goes to.</param>
    /// <param name="options">Batch size.</param>
    /// <param name="observer">Told the processing lag and the events produced, for metrics; optional.</param>
    /// <param name="activities">
    /// Where a span per batch starts, linked to the spans that received its deliveries; optional. The host passes
    /// WabaHooks' own source (named <see cref="TraceLinks.SourceName"/>).
    /// </param>
    public DeliveryProcessor(
        IDeliveryStore inbox, IEventStore events, SinkRouter router, ProcessorOptions options, IPipelineObserver? observer = null, ActivitySource? activities = null)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(options);
        _inbox = inbox;
        _events = events;
        _router = router;
        _options = options;
        _observer = observer;
        _activities = activities;
    }

    /// <summary>
    /// Processes the next batch of committed deliveries, if any.
    /// </summary>
    /// <returns>What the batch gave; no deliveries when the inbox is caught up.</returns>
    /// <exception cref="StoreUnavailableException">The store failed; no delivery was marked processed.</exception>
    public async Task<BatchReport> ProcessNextBatchAsync(CancellationToken cancellationToken)
    {
        if (!await _events.TryHoldProcessingLeaseAsync(cancellationToken).ConfigureAwait(false))
        {
            // Another instance is processing; this one stays ready to take over when that one goes away.
            return BatchReport.Empty;
        }

        var deliveries = await _inbox.ReadUnprocessedAsync(_options.BatchSize, cancellationToken).ConfigureAwait(false);
        _observer?.UnprocessedRead(deliveries.Count == 0 ? null : deliveries[0].Summary.ReceivedAt);
        if (deliveries.Count == 0)
        {
            return BatchReport.Empty;
        }

        using var activity = StartBatchActivity(deliveries);

        // Failures found while splitting are committed like any outcome, and reported with the ones the store refuses.
        var failed = new List<FailedDelivery>();
        var processed = new ProcessedDelivery[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            processed[i] = Process(deliveries[i], failed);
        }

        var split = new DeliverySplitSummary[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            var summary = deliveries[i].Summary;
            split[i] = new DeliverySplitSummary(summary.Id, summary.AppId, summary.Length, processed[i].Events.Count, summary.Flags.HasFlag(DeliveryFlags.Test));
        }

        var report = await CommitIsolatingAsync(processed, new BatchReport(deliveries.Count, 0, 0, failed) { Split = split }, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("wabahooks.events.stored", report.Stored);
        activity?.SetTag("wabahooks.events.duplicates", report.Duplicates);
        return report;
    }

    /// <summary>The batch's span, linked to the receive span of each delivery; null (and no links built) when nothing listens.</summary>
    private Activity? StartBatchActivity(IReadOnlyList<Delivery> deliveries)
    {
        if (_activities is null || !_activities.HasListeners())
        {
            return null;
        }

        var activity = _activities.StartActivity(
            "wabahooks process", ActivityKind.Internal, parentContext: default, links: TraceLinks.To(deliveries.Select(d => d.Summary.TraceParent)));
        activity?.SetTag("wabahooks.deliveries.count", deliveries.Count);
        activity?.SetTag("wabahooks.delivery.id.first", deliveries[0].Id);
        activity?.SetTag("wabahooks.delivery.id.last", deliveries[^1].Id);
        return activity;
    }

    /// <summary>Commits <paramref name="batch"/>; when the store refuses it for its content, halves it to find the culprit.</summary>
    private async Task<BatchReport> CommitIsolatingAsync(ArraySegment<ProcessedDelivery> batch, BatchReport report, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _events.CommitProcessedAsync(new ProcessedBatch(batch), cancellationToken).ConfigureAwait(false);
            return report with { Stored = report.Stored + result.Stored, Duplicates = report.Duplicates + result.Duplicates };
        }
        catch (Exception ex) when (IsContentFailure(ex, cancellationToken))
        {
            if (batch.Count == 1)
            {
                return await QuarantineAsync(batch[0], ex, report, cancellationToken).ConfigureAwait(false);
            }

            // Halving finds one culprit in log2(batch) commits; the halves that commit keep their order.
            var half = batch.Count / 2;
            report = await CommitIsolatingAsync(batch[..half], report, cancellationToken).ConfigureAwait(false);
            return await CommitIsolatingAsync(batch[half..], report, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<BatchReport> QuarantineAsync(ProcessedDelivery delivery, Exception cause, BatchReport report, CancellationToken cancellationToken)
    {
        var reason = Reason(ProcessingFailures.StoreRefused, cause);
        try
        {
            await _events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery.DeliveryId, reason, [])]), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (IsContentFailure(ex, cancellationToken))
        {
            // Refusing even a mark with no events is not about this delivery's content: the store itself is broken.
            throw new StoreUnavailableException($"The store refused to mark delivery {delivery.DeliveryId} failed: {ex.Message}", ex);
        }

        return report with { Failed = [.. report.Failed, new FailedDelivery(delivery.DeliveryId, reason)] };
    }

    private ProcessedDelivery Process(Delivery delivery, List<FailedDelivery> failed)
    {
        try
        {
            var split = DeliverySplitter.Split(delivery);
            if (!split.IsSuccess)
            {
                // Kept in the inbox, marked, and passed over: one bad delivery never stops the rest.
                return new ProcessedDelivery(delivery.Id, $"{split.Failure}: {split.Error}", []);
            }

            var events = new List<NewEvent>(split.Events.Count);
            foreach (var e in split.Events)
            {
                _observer?.EventProduced(e.Type);
                var sinks = _router.Route(e);
                events.Add(new NewEvent(
                    e.Id,
                    e.Type,
                    e.Field,
                    e.WabaId,
                    e.PhoneNumberId,
                    e.OccurredAt,
                    e.Position,
                    e.RawJson,
                    StatusChangeOf(e),
                    sinks,
                    e.IsTest)
                {
                    ConversationKey = ConversationKeys.Of(e),
                    OrderedSinks = OrderedAmong(sinks),
                    Locator = EventLocator.Encode(e, delivery.Body.Span, split.Events.Count),
                });
            }

            return new ProcessedDelivery(delivery.Id, null, events);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Splitting never throws for bad input by design; if a defect lets one through, it costs this delivery only.
            var reason = Reason(ProcessingFailures.SplitFailed, ex);
            failed.Add(new FailedDelivery(delivery.Id, reason));
            return new ProcessedDelivery(delivery.Id, reason, []);
        }
    }

    /// <summary>The sinks among <paramref name="sinks"/> that take events in order; no list built when none does.</summary>
    private IReadOnlyList<string> OrderedAmong(IReadOnlyList<string> sinks)
    {
        if (!_router.AnyOrdered)
        {
            return [];
        }

        List<string>? ordered = null;
        foreach (var sink in sinks)
        {
            if (_router.IsOrdered(sink))
            {
                (ordered ??= []).Add(sink);
            }
        }

        return ordered ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// The status view's change, when the status is a non-empty string. A null, numeric or empty status still gives its
    /// <c>statuses.unknown</c> event (with the raw item), but says nothing the view could order.
    /// </summary>
    private static StatusChange? StatusChangeOf(WabaEvent e) =>
        e.Kind == WabaEventKind.Status && e.Payload is MessageStatus { Wamid.Length: > 0, Status.Length: > 0 } status
            ? new StatusChange(status.Wamid, status.Status, status.RecipientParticipantId ?? status.RecipientId ?? status.RecipientUserId, status.Timestamp)
            : null;

    /// <summary>Whether the store refused the batch for what is in it, rather than being unable to commit at all.</summary>
    private static bool IsContentFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not StoreUnavailableException
        && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        && ex is not ObjectDisposedException;

    /// <summary>A one-line reason that is safe to store and print: control characters replaced, length bounded.</summary>
    private static string Reason(string prefix, Exception ex)
    {
        var text = $"{prefix}: {ex.GetType().Name}: {ex.Message}";
        var chars = text.Length > MaxReasonLength ? text.ToCharArray(0, MaxReasonLength) : text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) || char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}
