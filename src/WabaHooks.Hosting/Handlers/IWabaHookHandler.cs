namespace WabaHooks.Hosting.Handlers;

/// <summary>
/// An in-process handler as a class, registered with <c>On&lt;TPayload, THandler&gt;()</c>. A new instance comes from a
/// service scope created for each invocation, so it can take scoped services (a <c>DbContext</c>, say) in its
/// constructor; the scope is disposed when the invocation ends.
/// </summary>
/// <typeparam name="TPayload">The payload type it handles, as for <c>On&lt;TPayload&gt;</c>.</typeparam>
/// <remarks>
/// Delivery is at least once: the same event can reach the handler again (a retry, or a restart mid-invocation). Make
/// it idempotent on <see cref="WabaHookContext{TPayload}.EventId"/>.
/// </remarks>
public interface IWabaHookHandler<TPayload>
    where TPayload : class
{
    /// <summary>Handles one event. A thrown exception or a timeout is a failed attempt, retried with backoff.</summary>
    /// <param name="context">The event, its typed payload and where the attempt stands.</param>
    /// <param name="cancellationToken">Fires at the handler timeout and at shutdown.</param>
    Task HandleAsync(WabaHookContext<TPayload> context, CancellationToken cancellationToken);
}
