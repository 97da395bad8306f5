using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Payloads;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Processing;

/// <summary>
/// A call rings for tens of seconds, so an idle gateway must hand a delivery on as soon as it is committed: the processor
/// wakes on the inbox commit and the handler loop on the stored-events signal, not on a timer.
/// </summary>
public sealed class IdleWakeTests
{
    [Fact]
    public async Task An_idle_gateway_hands_a_call_connect_to_its_handler_with_no_timer_firing()
    {
        using var dir = new TempDirectory();
        // The clock never moves: a batch window, an idle poll or a handler poll would each wait forever.
        var clock = new TestClock();
        var handled = new TaskCompletionSource<CallConnect>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            o =>
            {
                o.Processor.BatchWindow = TimeSpan.FromHours(1);
                o.Processor.IdlePollInterval = TimeSpan.FromHours(1);
                o.Handlers.PollInterval = TimeSpan.FromHours(1);
            },
            hooks => hooks.On<CallConnect>((context, _) =>
            {
                handled.TrySetResult(context.Payload);
                return Task.CompletedTask;
            }),
            clock: clock);

        await gateway.PostAsync(ExamplePayloads.Read("calls-connect-user-initiated.json"));

        var connect = await Await.Within(handled);
        Assert.Equal("USER_INITIATED", connect.Direction);
    }
}
