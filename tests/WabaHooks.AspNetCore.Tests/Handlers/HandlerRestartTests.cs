using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Payloads;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Handlers;

public sealed class HandlerRestartTests
{
    [Fact]
    public async Task Work_pending_a_retry_is_handled_after_the_gateway_restarts_on_the_same_data()
    {
        using var dir = new TempDirectory();
        // Both gateways on one clock, which moves only past the backoff: the retry is due after the restart.
        var clock = new TestClock();
        var backoff = TimeSpan.FromMinutes(10);
        var text = Payload.Read("messages-text.json");
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Options(WabaHooksOptions o)
        {
            o.Handlers.PollInterval = TimeSpan.FromMilliseconds(20);
            o.Handlers.BaseDelay = backoff;
            o.Handlers.MaxDelay = backoff;
            o.Handlers.MaxAttempts = 100;
        }

        await using (var first = await TestGateway.StartAsync(dir.Path, Options, clock: clock, handlers: hooks => hooks.On<TextMessage>((e, ct) =>
        {
            failed.TrySetResult();
            throw new InvalidOperationException("not yet");
        })))
        {
            await first.PostAsync(text);
            await Await.Within(failed);
            await Await.UntilAsync(
                async () => (await first.Store.ListAttemptsAsync(Payload.MessageKey(text), "handler:On<TextMessage>", TestContext.Current.CancellationToken)).Count == 1,
                "the failed attempt recorded");
        }

        var received = new TaskCompletionSource<WabaHookContext<TextMessage>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var second = await TestGateway.StartAsync(dir.Path, Options, clock: clock, handlers: hooks => hooks.On<TextMessage>((e, ct) =>
        {
            received.TrySetResult(e);
            return Task.CompletedTask;
        }));
        // Past the backoff, then a poll interval at a time until the handler has it: moved once, between the restarted
        // loop's first claim (nothing due yet) and the start of its wait, the clock would leave that wait to end at a
        // time that never comes.
        clock.Advance(backoff);
        await clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(20), () => received.Task.IsCompleted, "the retry handled after the restart");
        var context = await received.Task;

        Assert.Equal(Payload.MessageKey(text), context.EventId);
        Assert.Equal(2, context.Attempt);
    }

    [Fact]
    public async Task A_handler_interrupted_by_shutdown_gets_the_event_again_after_the_restart()
    {
        using var dir = new TempDirectory();
        var text = Payload.Read("messages-text.json");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        static void Options(WabaHooksOptions o) => o.Handlers.PollInterval = TimeSpan.FromMilliseconds(20);

        await using (var first = await TestGateway.StartAsync(dir.Path, Options, hooks =>
        {
            // The host's shutdown ends before the handler's 30-second timeout: the invocation is interrupted.
            hooks.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
            hooks.On<TextMessage>(async (e, ct) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            });
        }))
        {
            await first.PostAsync(text);
            await Await.Within(started);
        }

        var received = new TaskCompletionSource<WabaHookContext<TextMessage>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var second = await TestGateway.StartAsync(dir.Path, Options, hooks => hooks.On<TextMessage>((e, ct) =>
        {
            received.TrySetResult(e);
            return Task.CompletedTask;
        }));
        var context = await Await.Within(received);

        Assert.Equal(2, context.Attempt);
        var attempts = await second.Store.ListAttemptsAsync(context.EventId, context.HandlerName, TestContext.Current.CancellationToken);
        Assert.Equal("interrupted by shutdown", attempts[0].Error);
    }
}
