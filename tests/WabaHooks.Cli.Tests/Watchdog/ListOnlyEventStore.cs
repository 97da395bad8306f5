using WabaHooks.Storage;

namespace WabaHooks.Cli.Tests.Watchdog;

/// <summary>An event store that only lists: the watchdog reads last-seen times and nothing else.</summary>
internal sealed class ListOnlyEventStore : IEventStore
{
    private readonly List<StoredEvent> _events = [];

    public void Add(string wabaId, string? phoneNumberId, DateTimeOffset storedAt)
    {
        lock (_events)
        {
            _events.Add(new StoredEvent(_events.Count + 1, $"event-{_events.Count + 1}", "messages.text", "messages", wabaId, phoneNumberId, null, 1, 0, storedAt, default));
        }
    }

    public Task<IReadOnlyList<StoredEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            IReadOnlyList<StoredEvent> found =
            [
                .. _events
                    .Where(e => query.WabaId is null || e.WabaId == query.WabaId)
                    .Where(e => query.PhoneNumberId is null || e.PhoneNumberId == query.PhoneNumberId)
                    .Where(e => query.Since is null || e.StoredAt >= query.Since)
                    .Where(e => query.BeforeSequence is null || e.Sequence < query.BeforeSequence)
                    .OrderByDescending(e => e.Sequence)
                    .Take(query.Limit),
            ];
            return Task.FromResult(found);
        }
    }

    public Task<bool> TryHoldProcessingLeaseAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<long> GetCursorAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoredEvent?> GetEventAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<MessageStatusHistory?> GetMessageStatusAsync(string wamid, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryOutcomesAsync(int limit, long? beforeId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
