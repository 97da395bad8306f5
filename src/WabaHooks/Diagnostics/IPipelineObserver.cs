namespace WabaHooks.Diagnostics;

/// <summary>
/// Told what the inbox writer and the processor do, for metrics. The host layer implements it over a
/// <c>System.Diagnostics.Metrics.Meter</c>; the core stays free of any telemetry package. Calls come from the writer's
/// and the processor's own loops, so an implementation must be cheap and must not throw.
/// </summary>
public interface IPipelineObserver
{
    /// <summary>A group commit ended.</summary>
    /// <param name="deliveries">Deliveries in the batch.</param>
    /// <param name="duration">Time spent in the store's append.</param>
    /// <param name="succeeded">Whether the batch became durable.</param>
    void InboxCommitted(int deliveries, TimeSpan duration, bool succeeded);

    /// <summary>The processor read the inbox.</summary>
    /// <param name="oldestUnprocessedReceivedAt">When the oldest delivery not yet processed arrived; <see langword="null"/> when the inbox is caught up.</param>
    void UnprocessedRead(DateTimeOffset? oldestUnprocessedReceivedAt);

    /// <summary>Splitting produced an event of <paramref name="type"/>, before deduplication.</summary>
    void EventProduced(string type);
}
