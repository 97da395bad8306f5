using System.Diagnostics;
using System.Diagnostics.Metrics;
using WabaHooks.Diagnostics;

namespace WabaHooks.Hosting.Diagnostics;

/// <summary>
/// Every instrument of the <c>WabaHooks</c> meter, created once. Recording is a no-op while nothing listens, and the
/// attributes are all bounded: outcomes, configured app ids, destination and handler names, Meta's event type names —
/// never a delivery, event or message id.
/// </summary>
internal sealed class WabaHooksMetrics : IPipelineObserver, IDisposable
{
    // Seconds, for latencies from a fraction of a millisecond (a group commit on a fast disk) to a slow destination.
    private static readonly IReadOnlyList<double> SecondsBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly IReadOnlyList<int> BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly TimeProvider _time;
    private readonly Counter<long> _deliveriesReceived;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitSize;
    private readonly Counter<long> _eventsProduced;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _destinationAttempts;
    private readonly Histogram<double> _destinationDuration;
    private readonly Counter<long> _destinationDeadLetters;
    private readonly Counter<long> _circuitChanges;
    private readonly Counter<long> _handlerInvocations;
    private readonly Histogram<double> _handlerDuration;
    private readonly Counter<long> _handlerDeadLetters;
    private readonly Counter<long> _watchdogChecks;
    private readonly Counter<long> _orderingExceptions;

    // Ticks of the oldest unprocessed delivery's arrival, 0 when caught up: read by the lag gauge at collection time.
    private long _oldestUnprocessedTicks;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a meter of its own when the host has none.</summary>
    public WabaHooksMetrics(TimeProvider time, IMeterFactory? meterFactory = null)
    {
        _time = time;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(WabaHooksTelemetry.MeterName) ?? new Meter(WabaHooksTelemetry.MeterName);

        _deliveriesReceived = _meter.CreateCounter<long>(
            "wabahooks.deliveries.received", "{delivery}", "POST requests to the callback URL, by outcome: stored, or why they were refused.");
        _commitDuration = _meter.CreateHistogram<double>(
            "wabahooks.inbox.commit.duration", "s", "How long each group commit of the inbox took.", tags: null, advice: new() { HistogramBucketBoundaries = SecondsBuckets });
        _commitSize = _meter.CreateHistogram<int>(
            "wabahooks.inbox.commit.size", "{delivery}", "Deliveries per group commit of the inbox.", tags: null, advice: new() { HistogramBucketBoundaries = BatchBuckets });
        _meter.CreateObservableGauge(
            "wabahooks.processing.lag", ProcessingLag, "s", "Age of the oldest delivery not yet processed, as of the processor's latest read; 0 when caught up.");
        _eventsProduced = _meter.CreateCounter<long>(
            "wabahooks.events.produced", "{event}", "Events split from deliveries, by type, before duplicates are dropped.");
        _duplicates = _meter.CreateCounter<long>(
            "wabahooks.events.duplicates", "{event}", "Events dropped because one with the same idempotency key was already stored (Meta redelivered).");
        _destinationAttempts = _meter.CreateCounter<long>(
            "wabahooks.destination.attempts", "{request}", "Requests to HTTP destinations, by destination and outcome.");
        _destinationDuration = _meter.CreateHistogram<double>(
            "wabahooks.destination.attempt.duration", "s", "How long each request to an HTTP destination took, to the end of the answer's head.",
            tags: null, advice: new() { HistogramBucketBoundaries = SecondsBuckets });
        _destinationDeadLetters = _meter.CreateCounter<long>(
            "wabahooks.destination.dead_letters", "{event}", "Events an HTTP destination did not take within its retry policy.");
        _circuitChanges = _meter.CreateCounter<long>(
            "wabahooks.destination.circuit.changes", "{change}", "A destination's circuit opening (a pause) or closing again.");
        _handlerInvocations = _meter.CreateCounter<long>(
            "wabahooks.handler.invocations", "{invocation}", "In-process handler attempts, by handler and outcome.");
        _handlerDuration = _meter.CreateHistogram<double>(
            "wabahooks.handler.duration", "s", "How long each in-process handler attempt took.", tags: null, advice: new() { HistogramBucketBoundaries = SecondsBuckets });
        _handlerDeadLetters = _meter.CreateCounter<long>(
            "wabahooks.handler.dead_letters", "{event}", "Events an in-process handler did not take within its retry policy.");
        _orderingExceptions = _meter.CreateCounter<long>(
            "wabahooks.sink.ordering.exceptions", "{event}",
            "For sinks ordered per conversation: events handed over after a later one of their conversation (late), and dead letters that released their conversation to its next event (released), by sink.");
        _watchdogChecks = _meter.CreateCounter<long>(
            "wabahooks.watchdog.checks", "{check}", "The watchdog's subscribed_apps checks, by WABA and result: subscribed, not_subscribed or check_failed.");
    }

    /// <summary>The <c>WabaHooks</c> meter, for instruments kept elsewhere.</summary>
    public Meter Meter => _meter;

    /// <summary>A POST was stored (answered 200) or refused.</summary>
    /// <param name="outcome">One of <see cref="DeliveryOutcomes"/>.</param>
    /// <param name="appId">The app whose secret matched; only known for stored deliveries.</param>
    public void DeliveryReceived(string outcome, string? appId = null)
    {
        if (!_deliveriesReceived.Enabled)
        {
            return;
        }

        if (appId is null)
        {
            _deliveriesReceived.Add(1, new KeyValuePair<string, object?>(Attributes.DeliveryOutcome, outcome));
        }
        else
        {
            _deliveriesReceived.Add(1, new KeyValuePair<string, object?>(Attributes.DeliveryOutcome, outcome), new KeyValuePair<string, object?>(Attributes.AppId, appId));
        }
    }

    /// <inheritdoc/>
    public void InboxCommitted(int deliveries, TimeSpan duration, bool succeeded)
    {
        var outcome = new KeyValuePair<string, object?>(Attributes.CommitOutcome, succeeded ? "committed" : "failed");
        _commitDuration.Record(duration.TotalSeconds, outcome);
        _commitSize.Record(deliveries, outcome);
    }

    /// <inheritdoc/>
    public void UnprocessedRead(DateTimeOffset? oldestUnprocessedReceivedAt) =>
        Interlocked.Exchange(ref _oldestUnprocessedTicks, oldestUnprocessedReceivedAt?.UtcTicks ?? 0);

    /// <inheritdoc/>
    public void EventProduced(string type) => _eventsProduced.Add(1, new KeyValuePair<string, object?>(Attributes.EventType, type));

    /// <summary>The store dropped <paramref name="count"/> events as duplicates.</summary>
    public void DuplicatesDropped(int count) => _duplicates.Add(count);

    /// <summary>A request to a destination ended.</summary>
    /// <param name="destination">The destination's name.</param>
    /// <param name="outcome">One of <see cref="AttemptOutcomes"/>.</param>
    /// <param name="duration">How long it took.</param>
    public void DestinationAttempted(string destination, string outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { Attributes.Destination, destination },
            { Attributes.AttemptOutcome, outcome },
        };
        _destinationAttempts.Add(1, tags);
        _destinationDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A destination dead-lettered an event.</summary>
    public void DestinationDeadLettered(string destination) =>
        _destinationDeadLetters.Add(1, new KeyValuePair<string, object?>(Attributes.Destination, destination));

    /// <summary>A destination's circuit opened (<paramref name="opened"/>) or closed.</summary>
    public void CircuitChanged(string destination, bool opened) =>
        _circuitChanges.Add(1, new KeyValuePair<string, object?>(Attributes.Destination, destination), new KeyValuePair<string, object?>(Attributes.CircuitState, opened ? "open" : "closed"));

    /// <summary>A handler attempt ended.</summary>
    /// <param name="handler">The handler's name.</param>
    /// <param name="outcome">One of <see cref="AttemptOutcomes"/>.</param>
    /// <param name="duration">How long it took.</param>
    public void HandlerInvoked(string handler, string outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { Attributes.Handler, handler },
            { Attributes.AttemptOutcome, outcome },
        };
        _handlerInvocations.Add(1, tags);
        _handlerDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A handler dead-lettered an event.</summary>
    public void HandlerDeadLettered(string handler) =>
        _handlerDeadLetters.Add(1, new KeyValuePair<string, object?>(Attributes.Handler, handler));

    /// <summary>An ordered sink handed over an event late, or released a conversation by dead-lettering its first event.</summary>
    /// <param name="sink">The sink's name (a handler's, or <c>destination:NAME</c>).</param>
    /// <param name="exception"><c>late</c> or <c>released</c>.</param>
    public void OrderingException(string sink, string exception) =>
        _orderingExceptions.Add(1, new KeyValuePair<string, object?>(Attributes.Sink, sink), new KeyValuePair<string, object?>(Attributes.OrderingException, exception));

    /// <summary>The watchdog checked a WABA's subscription.</summary>
    /// <param name="wabaId">A watched (configured) WABA.</param>
    /// <param name="result"><c>subscribed</c>, <c>not_subscribed</c> or <c>check_failed</c>.</param>
    public void WatchdogChecked(string wabaId, string result) =>
        _watchdogChecks.Add(1, new KeyValuePair<string, object?>(Attributes.WabaId, wabaId), new KeyValuePair<string, object?>(Attributes.WatchdogResult, result));

    public void Dispose()
    {
        // A meter from the factory is the factory's to dispose.
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private double ProcessingLag()
    {
        var oldest = Interlocked.Read(ref _oldestUnprocessedTicks);
        return oldest == 0 ? 0 : Math.Max(0, (_time.GetUtcNow().UtcTicks - oldest) / (double)TimeSpan.TicksPerSecond);
    }

    /// <summary>Attribute names.</summary>
    public static class Attributes
    {
        public const string DeliveryOutcome = "wabahooks.delivery.outcome";
        public const string AppId = "wabahooks.app_id";
        public const string CommitOutcome = "wabahooks.commit.outcome";
        public const string EventType = "wabahooks.event.type";
        public const string Destination = "wabahooks.destination";
        public const string Handler = "wabahooks.handler";
        public const string OrderingException = "wabahooks.ordering.exception";
        public const string AttemptOutcome = "wabahooks.attempt.outcome";
        public const string CircuitState = "wabahooks.circuit.state";
        public const string Sink = "wabahooks.sink";
        public const string BacklogState = "wabahooks.backlog.state";
        public const string WabaId = "wabahooks.waba_id";
        public const string WatchdogResult = "wabahooks.watchdog.result";
    }

    /// <summary>Values of <see cref="Attributes.DeliveryOutcome"/>.</summary>
    public static class DeliveryOutcomes
    {
        public const string Stored = "stored";
        public const string Signature = "signature";
        public const string ContentType = "content_type";
        public const string BodyTooLarge = "body_too_large";
        public const string Method = "method";
        public const string Unreadable = "unreadable";
        public const string StoreUnavailable = "store_unavailable";
    }

    /// <summary>Values of <see cref="Attributes.AttemptOutcome"/>.</summary>
    public static class AttemptOutcomes
    {
        public const string Success = "success";
        public const string Failure = "failure";
        public const string Timeout = "timeout";
        public const string Refused = "refused";
        public const string Interrupted = "interrupted";

        private static readonly string[] StatusClasses = ["http_1xx", "http_2xx", "http_3xx", "http_4xx", "http_5xx"];

        /// <summary>How a destination request went: success, the HTTP status class, timeout, refused (no answer) or interrupted.</summary>
        public static string Of(int? statusCode, bool succeeded, bool timedOut, bool interrupted) =>
            succeeded ? Success
            : interrupted ? Interrupted
            : statusCode is { } status ? (status is >= 100 and < 600 ? StatusClasses[(status / 100) - 1] : "http_other")
            : timedOut ? Timeout
            : Refused;
    }
}
