using WabaHooks.Events;
using WabaHooks.Sinks;

namespace WabaHooks.Hosting.Handlers;

/// <summary>One in-process handler: the sink name its work is recorded under, which events it takes and how to call it.</summary>
internal sealed class HandlerRegistration(
    string name,
    EventFilter filter,
    SinkOrdering ordering,
    Func<WabaEvent, int, bool, IServiceProvider, CancellationToken, Task> invoke)
{
    public string Name { get; } = name;

    /// <summary>What the router schedules the handler for when an event is stored.</summary>
    public SinkRegistration Sink { get; } = new(name, filter) { Ordering = ordering };

    public SinkOrdering Ordering => Sink.Ordering;

    /// <summary>Checked again before each call: the model may have changed since the work was scheduled.</summary>
    public bool Accepts(WabaEvent e) => Sink.Filter.Matches(e);

    public Task InvokeAsync(WabaEvent e, int attempt, bool isLate, IServiceProvider services, CancellationToken cancellationToken) =>
        invoke(e, attempt, isLate, services, cancellationToken);

    /// <summary>
    /// A handler of <typeparamref name="TPayload"/> payloads among the events <paramref name="filter"/> selects. It is
    /// routed on the type names that can carry such a payload, so the router deserialises only those events' payloads,
    /// to drop one whose JSON does not fit the model.
    /// </summary>
    /// <exception cref="ArgumentException">No event's payload is ever a <typeparamref name="TPayload"/>.</exception>
    public static HandlerRegistration Create<TPayload>(
        string name, EventFilter filter, SinkOrdering ordering, Func<WabaHookContext<TPayload>, CancellationToken, Task> handler)
        where TPayload : class
    {
        // Every payload is an object: selecting on the filter alone needs no type names and no payload.
        if (typeof(TPayload) != typeof(object))
        {
            var types = WabaEventTypes.ForPayload(typeof(TPayload));
            if (types.Count == 0)
            {
                throw new ArgumentException(
                    $"No event's payload is a {HandlerNames.Of(typeof(TPayload))}: use a message type, MessageStatus, IReadOnlyList<WhatsAppError>, a FieldValue type, or a base type of them.",
                    nameof(TPayload));
            }

            filter = filter with { Types = types, Predicate = static e => e.Payload is TPayload };
        }

        return new(
            name,
            filter,
            ordering,
            (e, attempt, isLate, services, ct) => handler(new WabaHookContext<TPayload>(e, (TPayload)e.Payload, name, attempt, services) { IsLate = isLate }, ct));
    }
}
