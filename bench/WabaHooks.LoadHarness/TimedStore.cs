using System.Diagnostics;
using System.Globalization;
using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The SQLite store with a stopwatch around the calls the forwarding path makes (<c>forward --instrument</c>): how
/// many, how many items each, the wall time inside each and the CPU time of the calling thread meanwhile
/// (<c>/proc/thread-self/schedstat</c>, nanoseconds). Writes take a lock of this wrapper first, so the store's own write
/// lock is never contended and the time inside is the transaction itself (SQL and fsync); the wait for that lock is
/// reported apart. Writes were serialised by the store anyway, so the gateway runs as with <c>UseSqlite</c>.
/// </summary>
internal sealed class TimedStore(SqliteStore inner) : IWabaHooksStore
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    private readonly Meter _claim = new("ClaimDueAsync", "items");
    private readonly Meter _record = new("RecordAttemptsAsync", "outcomes");
    private readonly Meter _get = new("GetAsync (delivery for dispatch)", "deliveries");
    private readonly Meter _commit = new("CommitProcessedAsync", "deliveries");
    private readonly Meter _read = new("ReadUnprocessedAsync", "deliveries");
    private readonly Meter _append = new("AppendAsync", "deliveries");

    public string Report()
    {
        var text = new StringBuilder();
        foreach (var meter in new[] { _claim, _record, _get, _read, _commit, _append })
        {
            meter.AppendTo(text);
        }

        return text.ToString();
    }

    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueAsync(string sink, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        WriteAsync(_claim, () => inner.ClaimDueAsync(sink, limit, now, lease, cancellationToken), items => items.Count, limit);

    public Task<IReadOnlyList<SinkWorkItem>> ClaimDueInOrderAsync(
        string sink, int limit, DateTimeOffset now, TimeSpan lease, TimeSpan reorderWindow, CancellationToken cancellationToken) =>
        WriteAsync(_claim, () => inner.ClaimDueInOrderAsync(sink, limit, now, lease, reorderWindow, cancellationToken), items => items.Count, limit);

    public Task RecordAttemptsAsync(IReadOnlyList<SinkOutcome> outcomes, CancellationToken cancellationToken) =>
        WriteAsync(_record, async () => { await inner.RecordAttemptsAsync(outcomes, cancellationToken); return outcomes.Count; }, n => n);

    private async Task<T> WriteAsync<T>(Meter meter, Func<Task<T>> write, Func<T, int> items, int asked = 0)
    {
        var waiting = Stopwatch.GetTimestamp();
        await _writes.WaitAsync();
        try
        {
            var waited = Stopwatch.GetElapsedTime(waiting);
            var thread = Environment.CurrentManagedThreadId;
            var cpu = ThreadCpuNanoseconds();
            var started = Stopwatch.GetTimestamp();
            var result = await write();
            var cpuNs = Environment.CurrentManagedThreadId == thread ? ThreadCpuNanoseconds() - cpu : -1;
            meter.Add(started, items(result), asked, waited, cpuNs);
            return result;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Time the calling thread has spent on a CPU, in nanoseconds; 0 where <c>/proc</c> does not tell.</summary>
    private static long ThreadCpuNanoseconds()
    {
        try
        {
            var text = File.ReadAllText("/proc/thread-self/schedstat");
            return long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public async Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var delivery = await inner.GetAsync(id, cancellationToken);
        _get.Add(started, 1);
        return delivery;
    }

    public Task<ProcessingResult> CommitProcessedAsync(ProcessedBatch batch, CancellationToken cancellationToken) =>
        WriteAsync(_commit, () => inner.CommitProcessedAsync(batch, cancellationToken), _ => batch.Deliveries.Count);

    public async Task<IReadOnlyList<Delivery>> ReadUnprocessedAsync(int limit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var list = await inner.ReadUnprocessedAsync(limit, cancellationToken);
        _read.Add(started, list.Count);
        return list;
    }

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<InboundDelivery> batch, CancellationToken cancellationToken) =>
        WriteAsync(_append, () => inner.AppendAsync(batch, cancellationToken), _ => batch.Count);

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<DeliverySummary>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken) => inner.ListAsync(limit, beforeId, cancellationToken);

    public Task<IReadOnlyList<Delivery>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) => inner.ReadAfterAsync(afterId, limit, cancellationToken);

    public Task CheckWritableAsync(CancellationToken cancellationToken) => inner.CheckWritableAsync(cancellationToken);

    public Task<bool> TryHoldProcessingLeaseAsync(CancellationToken cancellationToken) => inner.TryHoldProcessingLeaseAsync(cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) => inner.ListEventsAsync(query, cancellationToken);

    public Task<StoredEvent?> GetEventAsync(string id, CancellationToken cancellationToken) => inner.GetEventAsync(id, cancellationToken);

    public Task<MessageStatusHistory?> GetMessageStatusAsync(string wamid, CancellationToken cancellationToken) => inner.GetMessageStatusAsync(wamid, cancellationToken);

    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryOutcomesAsync(int limit, long? beforeId, CancellationToken cancellationToken) => inner.ListDeliveryOutcomesAsync(limit, beforeId, cancellationToken);

    public Task<IReadOnlyList<DeliveryOutcome>> ListFailedDeliveriesAsync(int limit, long? beforeId, CancellationToken cancellationToken) => inner.ListFailedDeliveriesAsync(limit, beforeId, cancellationToken);

    public Task<IReadOnlyList<long>> ReprocessAsync(IReadOnlyList<long>? deliveryIds, CancellationToken cancellationToken) => inner.ReprocessAsync(deliveryIds, cancellationToken);

    public Task<IReadOnlyList<SinkWorkItem>> ListDeadLettersAsync(string? sink, int limit, CancellationToken cancellationToken) => inner.ListDeadLettersAsync(sink, limit, cancellationToken);

    public Task<IReadOnlyList<SinkAttempt>> ListAttemptsAsync(string eventId, string? sink, CancellationToken cancellationToken) => inner.ListAttemptsAsync(eventId, sink, cancellationToken);

    public Task<int> RetryDeadLettersAsync(string? sink, DateTimeOffset now, CancellationToken cancellationToken) => inner.RetryDeadLettersAsync(sink, now, cancellationToken);

    public Task<int> EnqueueAsync(IReadOnlyList<string> eventIds, string sink, DateTimeOffset now, CancellationToken cancellationToken) => inner.EnqueueAsync(eventIds, sink, now, cancellationToken);

    public Task<IReadOnlyList<SinkBacklog>> GetBacklogAsync(CancellationToken cancellationToken) => inner.GetBacklogAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        _writes.Dispose();
    }

    /// <summary>Calls, items and time of one method; thread-safe.</summary>
    private sealed class Meter(string name, string unit)
    {
        private readonly Lock _lock = new();
        private readonly List<double> _milliseconds = [];
        private long _items;
        private long _asked;
        private long _empty;
        private double _waitedMs;
        private long _cpuNs;
        private long _cpuCalls;
        private readonly List<long> _cpuEach = [];

        public void Add(long started, int items, int asked = 0, TimeSpan waited = default, long cpuNs = -1)
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (_lock)
            {
                _milliseconds.Add(ms);
                _items += items;
                _asked += asked;
                _empty += items == 0 ? 1 : 0;
                _waitedMs += waited.TotalMilliseconds;
                if (cpuNs >= 0)
                {
                    _cpuNs += cpuNs;
                    _cpuCalls++;
                    _cpuEach.Add(cpuNs);
                }
            }
        }

        public void AppendTo(StringBuilder text)
        {
            lock (_lock)
            {
                if (_milliseconds.Count == 0)
                {
                    return;
                }

                var sorted = _milliseconds.Order().ToArray();
                var calls = sorted.Length;
                var total = sorted.Sum();
                text.Append(CultureInfo.InvariantCulture,
                    $"  {name,-34} {calls,7:N0} calls  {_items / (double)calls,6:0.0} {unit}/call");
                if (_asked > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $" (asked {_asked / (double)calls:0.0}, {_empty:N0} empty)");
                }

                text.Append(CultureInfo.InvariantCulture,
                    $"  mean {total / calls:0.000} ms  p50 {sorted[calls / 2]:0.000} ms  p99 {sorted[Math.Min(calls - 1, calls * 99 / 100)]:0.000} ms  total {total / 1000:0.00} s");
                if (_cpuCalls > 0)
                {
                    var cpu = _cpuEach.Order().ToArray();
                    var top = cpu.Skip(cpu.Length * 99 / 100).Sum();
                    text.Append(CultureInfo.InvariantCulture,
                        $"  cpu {_cpuNs / 1e6 / _cpuCalls:0.000} ms/call (p50 {cpu[cpu.Length / 2] / 1e6:0.000} ms, total {_cpuNs / 1e9:0.00} s, {100.0 * top / Math.Max(1, _cpuNs):0}% in the costliest 1% of calls;"
                        + $" by tenth of the run: {string.Join(' ', _cpuEach.Chunk(Math.Max(1, (_cpuEach.Count + 9) / 10)).Select(c => (c.Average() / 1e6).ToString("0.00", CultureInfo.InvariantCulture)))} ms)");
                }

                if (_waitedMs > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  lock wait {_waitedMs / calls:0.000} ms/call");
                }

                text.AppendLine();
            }
        }
    }
}
