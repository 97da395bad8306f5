namespace WabaHooks.Hosting.Sinks;

/// <summary>Raised by the processor when it stores new events, so handlers and destinations start at once instead of at their next poll.</summary>
internal sealed class SinkWorkSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>. Take it before looking for work, so a signal is never missed.</summary>
    public Task WaitAsync() => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
