using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Hosting.Tests.Support;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Handlers;

/// <summary><c>On&lt;TPayload, THandler&gt;()</c>: a handler class resolved from a scope of its own for every invocation.</summary>
public sealed class TypedHandlerTests
{
    private const string Sink = "handler:On<TextMessage,SavingHandler>";

    /// <summary>Stands in for a DbContext: scoped, and disposed with its scope.</summary>
    internal sealed class UnitOfWork : IDisposable
    {
        public bool Disposed { get; private set; }

        public List<string> Saved { get; } = [];

        public void Dispose() => Disposed = true;
    }

    /// <summary>Every unit of work handed out, and which handler instance used it.</summary>
    internal sealed class Usage
    {
        public ConcurrentQueue<(UnitOfWork Unit, SavingHandler Handler)> Calls { get; } = new();
    }

    internal sealed class SavingHandler(UnitOfWork unit, Usage usage) : IWabaHookHandler<TextMessage>
    {
        public Task HandleAsync(WabaHookContext<TextMessage> context, CancellationToken cancellationToken)
        {
            unit.Saved.Add(context.Payload.Wamid);
            usage.Calls.Enqueue((unit, this));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Each_invocation_gets_a_new_handler_with_scoped_services_that_are_disposed_after_it()
    {
        using var dir = new TempDirectory();
        byte[][] bodies = [Notifications.Example("messages-text.json"), Notifications.Example("messages-text-forwarded.json")];
        await ReceivingProcess.AppendAsync(dir.Path, bodies);

        await using var worker = await Worker.StartAsync(
            dir.Path,
            hooks => hooks.On<TextMessage, SavingHandler>(),
            s => s.AddScoped<UnitOfWork>().AddSingleton<Usage>());
        await WabaHooks.Testing.Await.UntilAsync(() => worker.BacklogAsync(Sink), b => b.Done == 2, "both text messages handled");

        var calls = worker.Services.GetRequiredService<Usage>().Calls.ToList();
        Assert.Equal(2, calls.Count);
        Assert.NotSame(calls[0].Unit, calls[1].Unit);
        Assert.NotSame(calls[0].Handler, calls[1].Handler);
        Assert.All(calls, c => Assert.True(c.Unit.Disposed, "the scope ends with the invocation"));
        Assert.All(calls, c => Assert.Single(c.Unit.Saved));
    }

    [Fact]
    public async Task A_handler_that_throws_is_retried_and_then_dead_lettered_under_the_name_given()
    {
        using var dir = new TempDirectory();
        await ReceivingProcess.AppendAsync(dir.Path, Notifications.Example("messages-text.json"));

        await using var worker = await Worker.StartAsync(
            dir.Path,
            hooks => hooks.On<TextMessage, FailingHandler>(name: "replies"));
        var dead = await WabaHooks.Testing.Await.UntilAsync(() => worker.BacklogAsync("replies"), b => b.Dead == 1, "the event dead-lettered");

        Assert.Equal((0L, 0L), (dead.Pending, dead.Done));
        var letter = Assert.Single(await worker.Work.ListDeadLettersAsync("replies", 10, TestContext.Current.CancellationToken));
        Assert.Equal(8, letter.Attempts);
        Assert.Contains("InvalidOperationException: no reply today", letter.LastError, StringComparison.Ordinal);
    }

    internal sealed class FailingHandler : IWabaHookHandler<TextMessage>
    {
        public Task HandleAsync(WabaHookContext<TextMessage> context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no reply today");
    }

    [Fact]
    public void Typed_handlers_are_named_after_their_payload_and_class_with_an_ordinal_among_equals()
    {
        var services = new ServiceCollection();
        services.AddWabaHooks(_ => { })
            .On<TextMessage, SavingHandler>()
            .On<TextMessage>(static (_, _) => Task.CompletedTask)
            .On<TextMessage, SavingHandler>()
            .On<TextMessage, FailingHandler>(name: "replies");

        var names = services.Select(d => d.ImplementationInstance).OfType<SinkRegistration>().Select(s => s.Name);

        Assert.Equal(["handler:On<TextMessage,SavingHandler>", "handler:On<TextMessage>", "handler:On<TextMessage,SavingHandler>#2", "replies"], names);
    }

    [Fact]
    public void A_handler_class_is_added_as_scoped_unless_the_application_registered_it_already()
    {
        var services = new ServiceCollection();
        services.AddSingleton<FailingHandler>();

        services.AddWabaHooks(_ => { }).On<TextMessage, FailingHandler>().On<TextMessage, SavingHandler>();

        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(FailingHandler)).Lifetime);
        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(services, d => d.ServiceType == typeof(SavingHandler)).Lifetime);
    }
}
