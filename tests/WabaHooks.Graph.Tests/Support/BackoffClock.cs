using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace WabaHooks.Graph.Tests.Support;

/// <summary>
/// A fake clock that notices each backoff wait the client starts and moves time past it, so tests see the exact waits
/// without sleeping. Request-timeout timers (due after <paramref name="requestTimeout"/>) are left alone.
/// </summary>
internal sealed class BackoffClock(TimeSpan requestTimeout) : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != requestTimeout && dueTime != Timeout.InfiniteTimeSpan)
        {
            _waits.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Advances through every backoff wait until <paramref name="call"/> ends; returns the waits in order.</summary>
    public async Task<IReadOnlyList<TimeSpan>> RunAsync(Task call, CancellationToken cancellationToken)
    {
        var waits = new List<TimeSpan>();
        while (true)
        {
            var next = _waits.Reader.ReadAsync(cancellationToken).AsTask();
            var first = await Task.WhenAny(call, next).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            if (first == call)
            {
                return waits;
            }

            var wait = await next;
            waits.Add(wait);
            Advance(wait);
        }
    }

    /// <summary>Waits (bounded) until the client starts its next backoff wait, without moving time.</summary>
    public async Task<TimeSpan> NextWaitAsync(CancellationToken cancellationToken) =>
        await _waits.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
}
