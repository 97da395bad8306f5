using System.Collections.Concurrent;

namespace WabaHooks.Hosting.Sinks;

/// <summary>
/// The calls one sink has running, and a signal for when one ends, so a dispatch loop can wait for a free slot instead
/// of polling for it.
/// </summary>
internal sealed class InFlight
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => _running.Count;

    /// <summary>The calls started and not yet finished.</summary>
    public IReadOnlyCollection<Task> Running => [.. _running.Keys];

    /// <summary>Completes when a call ends after this was read. Take it before counting free slots, so no end is missed.</summary>
    public Task Freed => Volatile.Read(ref _freed).Task;

    /// <summary>Starts <paramref name="call"/> on the thread pool and tracks it until it ends.</summary>
    public void Start(Func<Task> call)
    {
        // Task.Run: a call that blocks its thread before its first await must not block the loop.
        var task = Task.Run(call);
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(
            static (t, s) =>
            {
                var self = (InFlight)s!;
                self._running.TryRemove(t, out _);
                Interlocked.Exchange(ref self._freed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
