using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace WabaHooks.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> for a whole gateway, registered in its services: time moves only when the test
/// moves it, so backoffs, pauses and timeouts of minutes take no real time and a test decides on state, never on a
/// sleep. It also tells when something has started waiting on it (a timer created at the current time), so a test can
/// tell that a polling loop has looked again after the clock moved.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>Where every test clock starts: a fixed instant, so stored times are the same on every run.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    // For each due time, the latest time on this clock at which a timer with that due time was created.
    private readonly ConcurrentDictionary<TimeSpan, DateTimeOffset> _lastTimerAt = new();

    /// <summary>A clock at <see cref="Epoch"/>.</summary>
    public TestClock()
        : base(Epoch)
    {
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var now = GetUtcNow();
        _lastTimerAt.AddOrUpdate(dueTime, now, (_, before) => before > now ? before : now);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>
    /// Waits, bounded, until something has started waiting <paramref name="interval"/> on this clock at its current
    /// time: a loop that polls every <paramref name="interval"/> has gone round again since the clock last moved.
    /// </summary>
    public Task WaitUntilWaitingAsync(TimeSpan interval, string who)
    {
        var now = GetUtcNow();
        return Await.UntilAsync(
            () => _lastTimerAt.TryGetValue(interval, out var at) && at >= now,
            $"{who} to wait {interval} on the test clock at {now:O}");
    }

    /// <summary>
    /// Moves the clock on by <paramref name="step"/> each time <paramref name="condition"/> does not hold yet, until it
    /// does (bounded in real time by <see cref="Await.Bound"/>): for outcomes that come after an unknown number of
    /// backoffs or pauses, each of which only the clock can end.
    /// </summary>
    public Task AdvanceUntilAsync(TimeSpan step, Func<Task<bool>> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Await.UntilAsync(
            async () =>
            {
                if (await condition())
                {
                    return true;
                }

                Advance(step);
                return false;
            },
            what);
    }

    /// <inheritdoc cref="AdvanceUntilAsync(TimeSpan, Func{Task{bool}}, string)"/>
    public Task AdvanceUntilAsync(TimeSpan step, Func<bool> condition, string what) =>
        AdvanceUntilAsync(step, () => Task.FromResult(condition()), what);
}
