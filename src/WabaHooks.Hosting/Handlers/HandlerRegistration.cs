using WabaHooks.Events;

namespace WabaHooks.Hosting.Handlers;

/// <summary>One in-process handler: the sink name its work is recorded under and how to call it.</summary>
internal sealed class HandlerRegistration(
    string name,
    Func<WabaEvent, bool> accepts,
    Func<WabaEvent, int, IServiceProvider, CancellationToken, Task> invoke)
{
    public string Name { get; } = name;

    /// <summary>Checked again before each call: the model may have changed since the work was scheduled.</summary>
    public bool Accepts(WabaEvent e) => accepts(e);

    public Task InvokeAsync(WabaEvent e, int attempt, IServiceProvider services, CancellationToken cancellationToken) =>
        invoke(e, attempt, services, cancellationToken);

    public static HandlerRegistration Create<TPayload>(string name, Func<WabaEvent, bool> filter, Func<WabaHookContext<TPayload>, CancellationToken, Task> handler)
        where TPayload : class =>
        new(
            name,
            e => e.Payload is TPayload && filter(e),
            (e, attempt, services, ct) => handler(new WabaHookContext<TPayload>(e, (TPayload)e.Payload, name, attempt, services), ct));
}
