using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WabaHooks.Events;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Payloads;
using WabaHooks.Sinks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds in-process handlers. Each handler is a sink: every event it matches is scheduled for it in the transaction that
/// stores the event, and it runs after the 200 — never before — with its own attempts, backoff and dead letters
/// (see <see cref="HandlerOptions"/>). A failing or slow handler never holds up other handlers or other events.
/// </summary>
/// <remarks>
/// <para>
/// A handler's name is its sink name: pending work, attempts and dead letters are recorded under it, so it must be the
/// same on every start. The default is derived from how the handler is registered, with the types' short names —
/// <c>handler:On&lt;TextMessage&gt;</c>, <c>handler:On&lt;TextMessage,ReplyHandler&gt;</c>, <c>handler:OnMessage</c>,
/// <c>handler:OnStatus</c>, <c>handler:On(account_update)</c> — with <c>#2</c>, <c>#3</c>, … for later registrations of
/// the same shape, in registration order. Renaming a handler class or payload type, or reordering registrations of the
/// same shape, therefore changes names, and work pending under an old name is left behind (it stays in the store,
/// undelivered). Pass a <c>name</c> to keep it stable.
/// </para>
/// <para>
/// Typed handlers are routed on event type names (<see cref="WabaEventTypes.ForPayload"/>): an event that cannot carry
/// their payload type is never scheduled for them, and its payload is not deserialised to find out. An event whose JSON
/// does not fit the model (an <see cref="UnparsedPayload"/>) is not handed to a typed handler; <c>On(field)</c> gets it.
/// </para>
/// <para>
/// Events marked as tests (<see cref="WabaEvent.IsTest"/>: sent by <c>wabahooks trigger</c> and
/// <c>verify-endpoint</c>) are stored but not handed to a handler unless it is registered with
/// <c>includeTestEvents: true</c>.
/// </para>
/// <para>Delivery is at least once: make handlers idempotent on <see cref="WabaHookContext{TPayload}.EventId"/>.</para>
/// </remarks>
public static class WabaHooksBuilderHandlerExtensions
{
    /// <summary>Handles every event whose payload is a <typeparamref name="TPayload"/>.</summary>
    /// <typeparam name="TPayload">
    /// A payload type: a message type such as <see cref="TextMessage"/> or <see cref="ImageMessage"/>,
    /// <see cref="InboundMessage"/> for every message, <see cref="MessageStatus"/>, or a field value such as
    /// <see cref="AccountUpdate"/>.
    /// </typeparam>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="handler">Called once per matching event (more on retries); a thrown exception or a timeout is a failed attempt.</param>
    /// <param name="name">The sink name; default <c>handler:On&lt;TPayload&gt;</c> (plus <c>#n</c> when repeated).</param>
    /// <param name="includeTestEvents">Whether events marked as tests (from <c>wabahooks trigger</c> and <c>verify-endpoint</c>) reach it too; default false.</param>
    /// <param name="ordering">
    /// <see cref="SinkOrdering.PerConversation"/> hands it one event at a time per conversation, in the order of Meta's
    /// timestamps (see <see cref="HandlerOptions.ReorderWindow"/>); default <see cref="SinkOrdering.None"/>.
    /// </param>
    /// <exception cref="ArgumentException">
    /// No event's payload is a <typeparamref name="TPayload"/>, or <paramref name="name"/> is blank or already taken.
    /// </exception>
    public static WabaHooksBuilder On<TPayload>(this WabaHooksBuilder builder, Func<WabaHookContext<TPayload>, CancellationToken, Task> handler, string? name = null, bool includeTestEvents = false, SinkOrdering ordering = SinkOrdering.None)
        where TPayload : class =>
        builder.AddHandler($"On<{HandlerNames.Of(typeof(TPayload))}>", Filter(includeTestEvents), ordering, handler, name);

    /// <summary>
    /// Handles every event whose payload is a <typeparamref name="TPayload"/> with a <typeparamref name="THandler"/>
    /// resolved from a service scope created for each invocation, so it can depend on scoped services.
    /// </summary>
    /// <typeparam name="TPayload">A payload type, as for <see cref="On{TPayload}(WabaHooksBuilder, Func{WabaHookContext{TPayload}, CancellationToken, Task}, string?, bool, SinkOrdering)"/>.</typeparam>
    /// <typeparam name="THandler">
    /// The handler class. Registered as a scoped service unless it is registered already (then that registration is used).
    /// </typeparam>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="name">The sink name; default <c>handler:On&lt;TPayload,THandler&gt;</c> (plus <c>#n</c> when repeated).</param>
    /// <param name="includeTestEvents">Whether events marked as tests (from <c>wabahooks trigger</c> and <c>verify-endpoint</c>) reach it too; default false.</param>
    /// <param name="ordering">
    /// <see cref="SinkOrdering.PerConversation"/> hands it one event at a time per conversation, in the order of Meta's
    /// timestamps (see <see cref="HandlerOptions.ReorderWindow"/>); default <see cref="SinkOrdering.None"/>.
    /// </param>
    /// <exception cref="ArgumentException">
    /// No event's payload is a <typeparamref name="TPayload"/>, or <paramref name="name"/> is blank or already taken.
    /// </exception>
    public static WabaHooksBuilder On<TPayload, THandler>(this WabaHooksBuilder builder, string? name = null, bool includeTestEvents = false, SinkOrdering ordering = SinkOrdering.None)
        where TPayload : class
        where THandler : class, IWabaHookHandler<TPayload>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddHandler<TPayload>(
            $"On<{HandlerNames.Of(typeof(TPayload))},{HandlerNames.Of(typeof(THandler))}>",
            Filter(includeTestEvents),
            ordering,
            static (context, ct) => context.Services.GetRequiredService<THandler>().HandleAsync(context, ct),
            name);

        // After the checks above, so a rejected registration leaves nothing behind.
        builder.Services.TryAddScoped<THandler>();
        return builder;
    }

    /// <summary>Handles every inbound message, whatever its type (including unknown types).</summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="handler">Called once per message (more on retries).</param>
    /// <param name="name">The sink name; default <c>handler:OnMessage</c> (plus <c>#n</c> when repeated).</param>
    /// <param name="includeTestEvents">Whether events marked as tests (from <c>wabahooks trigger</c> and <c>verify-endpoint</c>) reach it too; default false.</param>
    /// <param name="ordering">
    /// <see cref="SinkOrdering.PerConversation"/> hands it one event at a time per conversation, in the order of Meta's
    /// timestamps (see <see cref="HandlerOptions.ReorderWindow"/>); default <see cref="SinkOrdering.None"/>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank or already taken.</exception>
    public static WabaHooksBuilder OnMessage(this WabaHooksBuilder builder, Func<WabaHookContext<InboundMessage>, CancellationToken, Task> handler, string? name = null, bool includeTestEvents = false, SinkOrdering ordering = SinkOrdering.None) =>
        builder.AddHandler("OnMessage", Filter(includeTestEvents), ordering, handler, name);

    /// <summary>Handles every status of an outbound message: sent, delivered, read, played, failed and unknown ones.</summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="handler">Called once per status (more on retries).</param>
    /// <param name="name">The sink name; default <c>handler:OnStatus</c> (plus <c>#n</c> when repeated).</param>
    /// <param name="includeTestEvents">Whether events marked as tests (from <c>wabahooks trigger</c> and <c>verify-endpoint</c>) reach it too; default false.</param>
    /// <param name="ordering">
    /// <see cref="SinkOrdering.PerConversation"/> hands it one event at a time per conversation, in the order of Meta's
    /// timestamps (see <see cref="HandlerOptions.ReorderWindow"/>); default <see cref="SinkOrdering.None"/>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank or already taken.</exception>
    public static WabaHooksBuilder OnStatus(this WabaHooksBuilder builder, Func<WabaHookContext<MessageStatus>, CancellationToken, Task> handler, string? name = null, bool includeTestEvents = false, SinkOrdering ordering = SinkOrdering.None) =>
        builder.AddHandler("OnStatus", Filter(includeTestEvents), ordering, handler, name);

    /// <summary>
    /// Handles every event of one field (<c>messages</c>, <c>account_update</c>, …). The payload is the typed
    /// <see cref="WabaEvent.Payload"/>: a <see cref="FieldValue"/>, message, status, or <see cref="UnparsedPayload"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddWabaHooks</c>.</param>
    /// <param name="field">The field exactly as Meta sends it.</param>
    /// <param name="handler">Called once per event of the field (more on retries).</param>
    /// <param name="name">The sink name; default <c>handler:On(field)</c> (plus <c>#n</c> when repeated).</param>
    /// <param name="includeTestEvents">Whether events marked as tests (from <c>wabahooks trigger</c> and <c>verify-endpoint</c>) reach it too; default false.</param>
    /// <param name="ordering">
    /// <see cref="SinkOrdering.PerConversation"/> hands it one event at a time per conversation, in the order of Meta's
    /// timestamps (see <see cref="HandlerOptions.ReorderWindow"/>); default <see cref="SinkOrdering.None"/>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="field"/> is empty, or <paramref name="name"/> is blank or already taken.</exception>
    public static WabaHooksBuilder On(this WabaHooksBuilder builder, string field, Func<WabaHookContext<object>, CancellationToken, Task> handler, string? name = null, bool includeTestEvents = false, SinkOrdering ordering = SinkOrdering.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        return builder.AddHandler($"On({field})", Filter(includeTestEvents) with { Fields = [field] }, ordering, handler, name);
    }

    /// <summary>Every event; test events only when the handler opts in.</summary>
    private static EventFilter Filter(bool includeTestEvents) => new() { IncludeTestEvents = includeTestEvents };

    private static WabaHooksBuilder AddHandler<TPayload>(
        this WabaHooksBuilder builder,
        string kind,
        EventFilter filter,
        SinkOrdering ordering,
        Func<WabaHookContext<TPayload>, CancellationToken, Task> handler,
        string? name)
        where TPayload : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        var services = builder.Services;
        var sinkName = HandlerNames.Resolve(services, kind, name);
        var registration = HandlerRegistration.Create(sinkName, filter, ordering, handler);

        services.AddSingleton(registration.Sink);
        services.AddSingleton(registration);
        services.TryAddSingleton<SinkWorkSignal>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WabaHooksOptions>>().Value.Handlers);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HandlerService>());
        return builder;
    }
}
