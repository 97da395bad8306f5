namespace WabaHooks.Hosting.Handlers;

/// <summary>How in-process handlers (<c>On&lt;T&gt;</c>, <c>OnMessage</c>, <c>OnStatus</c>, <c>On(field)</c>) are run and retried.</summary>
public sealed class HandlerOptions
{
    /// <summary>Attempts per (event, handler) pair before it becomes a dead letter. Default 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// The backoff base: the delay before retry <c>n</c> is drawn uniformly between zero and
    /// <c>min(MaxDelay, BaseDelay × 2^(n-1))</c> (exponential backoff with full jitter). Default 1 second.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap on one backoff delay. Default 5 minutes.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one invocation may run. Past it the handler's cancellation token fires and the attempt counts as failed,
    /// even if the handler ignores the token. Default 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Invocations of one handler that may run at once; each handler has its own limit. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// How often each handler looks for due work (retries coming due, work stored by another process). New events
    /// stored by this process wake handlers at once. Default 250 milliseconds.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// For handlers registered with <see cref="WabaHooks.Sinks.SinkOrdering.PerConversation"/>: how long an event waits
    /// after it was stored before it is handed over, so that an earlier event of its conversation that Meta delivers a
    /// little later still goes first. An earlier event arriving after that is handed over late
    /// (<see cref="WabaHookContext{TPayload}.IsLate"/>). Zero hands events over as soon as they are first in their
    /// conversation. Default 1 second; unordered handlers ignore it.
    /// </summary>
    public TimeSpan ReorderWindow { get; set; } = TimeSpan.FromSeconds(1);
}
