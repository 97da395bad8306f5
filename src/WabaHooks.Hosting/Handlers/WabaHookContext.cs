using WabaHooks.Events;

namespace WabaHooks.Hosting.Handlers;

/// <summary>What a handler receives: one event, its typed payload and where the attempt stands.</summary>
/// <typeparam name="TPayload">The payload type the handler was registered for.</typeparam>
/// <remarks>
/// Delivery is at least once: the same event can reach a handler again (a retry after a failure or a timeout, or a
/// restart mid-invocation). Make the handler idempotent on <see cref="EventId"/>.
/// </remarks>
public sealed class WabaHookContext<TPayload>
    where TPayload : class
{
    internal WabaHookContext(WabaEvent @event, TPayload payload, string handlerName, int attempt, IServiceProvider services)
    {
        Event = @event;
        Payload = payload;
        HandlerName = handlerName;
        Attempt = attempt;
        Services = services;
    }

    /// <summary>The idempotency key: the wamid for a message, wamid + status for a status, a hash for other changes.</summary>
    public string EventId => Event.Id;

    /// <summary>
    /// The whole event: <see cref="WabaEvent.Type"/>, <see cref="WabaEvent.Field"/>, <see cref="WabaEvent.WabaId"/>,
    /// <see cref="WabaEvent.PhoneNumberId"/>, <see cref="WabaEvent.Metadata"/>, <see cref="WabaEvent.Contacts"/> and
    /// the raw JSON.
    /// </summary>
    public WabaEvent Event { get; }

    /// <summary>
    /// Whether the event is synthetic test traffic (<see cref="WabaEvent.IsTest"/>), which reaches only handlers
    /// registered with <c>includeTestEvents: true</c>.
    /// </summary>
    public bool IsTest => Event.IsTest;

    /// <summary>The typed payload (the same object as <see cref="WabaEvent.Payload"/>).</summary>
    public TPayload Payload { get; }

    /// <summary>The handler's sink name, under which its attempts and dead letters are recorded.</summary>
    public string HandlerName { get; }

    /// <summary>Which attempt this is: 1 for the first.</summary>
    public int Attempt { get; }

    /// <summary>
    /// For a handler ordered per conversation: whether this event reached the gateway after a later event of its
    /// conversation had already been handed to this handler (Meta delivered it past the reorder window). Always false for
    /// unordered handlers.
    /// </summary>
    public bool IsLate { get; internal init; }

    /// <summary>Services from a scope created for this invocation and disposed after it.</summary>
    public IServiceProvider Services { get; }
}
