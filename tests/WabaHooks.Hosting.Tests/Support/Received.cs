using System.Collections.Concurrent;
using WabaHooks.Hosting.Handlers;

namespace WabaHooks.Hosting.Tests.Support;

/// <summary>What the test handlers were given, in the order they got it: a singleton they all write to.</summary>
internal sealed class Received
{
    private readonly ConcurrentQueue<(string Handler, string EventId, object Payload)> _calls = new();

    public void Add<T>(WabaHookContext<T> context)
        where T : class => _calls.Enqueue((context.HandlerName, context.EventId, context.Payload));

    public IReadOnlyList<string> EventIds(string handler) => [.. _calls.Where(c => c.Handler == handler).Select(c => c.EventId)];

    public IReadOnlyList<object> Payloads(string handler) => [.. _calls.Where(c => c.Handler == handler).Select(c => c.Payload)];
}
