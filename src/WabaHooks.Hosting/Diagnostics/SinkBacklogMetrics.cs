using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Diagnostics;

/// <summary>
/// The backlog gauges of every sink (destinations and handlers): events pending and dead, and how long the oldest
/// pending one has waited. They come from the store, which a gauge callback must not wait on, so a collection returns
/// the figures of the previous read and starts the next one in the background, at most once per
/// <see cref="MinReadInterval"/>. Nothing is read while no one collects.
/// </summary>
internal sealed class SinkBacklogMetrics : IHostedService
{
    /// <summary>The shortest time between two reads of the store, however often the gauges are collected.</summary>
    public static readonly TimeSpan MinReadInterval = TimeSpan.FromSeconds(1);

    private readonly ISinkWorkStore? _store;
    private readonly TimeProvider _time;
    private IReadOnlyList<SinkBacklog> _latest = [];
    private long _lastReadTimestamp;
    private int _reading;

    public SinkBacklogMetrics(WabaHooksMetrics metrics, IServiceProvider services, TimeProvider time)
    {
        // Only stores with sink work have a backlog; a custom inbox-only store has none.
        _store = services.GetService<ISinkWorkStore>();
        _time = time;
        if (_store is null)
        {
            return;
        }

        metrics.Meter.CreateObservableGauge(
            "wabahooks.sink.backlog", Backlog, "{event}", "Events waiting for a sink (pending) or given up (dead), by sink, as of the latest read of the store.");
        metrics.Meter.CreateObservableGauge(
            "wabahooks.sink.oldest_pending.age", OldestPendingAge, "s", "How long the oldest pending event of each sink has waited since it was scheduled; 0 when none is pending.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<long>> Backlog()
    {
        foreach (var sink in Latest())
        {
            var name = new KeyValuePair<string, object?>(WabaHooksMetrics.Attributes.Sink, sink.Sink);
            yield return new Measurement<long>(sink.Pending, name, new KeyValuePair<string, object?>(WabaHooksMetrics.Attributes.BacklogState, "pending"));
            yield return new Measurement<long>(sink.Dead, name, new KeyValuePair<string, object?>(WabaHooksMetrics.Attributes.BacklogState, "dead"));
        }
    }

    private IEnumerable<Measurement<double>> OldestPendingAge()
    {
        var now = _time.GetUtcNow();
        foreach (var sink in Latest())
        {
            var age = sink.OldestPendingSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0;
            yield return new Measurement<double>(age, new KeyValuePair<string, object?>(WabaHooksMetrics.Attributes.Sink, sink.Sink));
        }
    }

    private IReadOnlyList<SinkBacklog> Latest()
    {
        var last = Interlocked.Read(ref _lastReadTimestamp);
        if ((last == 0 || _time.GetElapsedTime(last) >= MinReadInterval) && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
        {
            Interlocked.Exchange(ref _lastReadTimestamp, _time.GetTimestamp());
            _ = Task.Run(ReadAsync);
        }

        return Volatile.Read(ref _latest);
    }

    private async Task ReadAsync()
    {
        try
        {
            Volatile.Write(ref _latest, await _store!.GetBacklogAsync(CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store is down or closing: the gauges keep the last figures; readiness and the logs say why.
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }
}
