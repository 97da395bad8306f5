using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting;
using System.Collections.Concurrent;
using WabaHooks.Payloads;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Handlers;

public sealed class HandlerFailureTests
{
    private const int MaxAttempts = 3;

    /// <summary>The longest backoff between two attempts; on the test clock it takes no real time.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    private static void Options(WabaHooksOptions options)
    {
        options.Handlers.MaxAttempts = MaxAttempts;
        options.Handlers.PollInterval = TimeSpan.FromMilliseconds(20);
        options.Handlers.BaseDelay = TimeSpan.FromSeconds(10);
        options.Handlers.MaxDelay = MaxDelay;
    }

    [Fact]
    public async Task A_throwing_handler_is_retried_then_dead_lettered_without_holding_up_other_handlers_or_other_events()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        var text = Payload.Read("messages-text.json");
        var textId = Payload.MessageKey(text);
        var textBody = (string)Payload.FirstMessage(text)["text"]!["body"]!;
        var image = Payload.Read("messages-image.json");
        var imageId = Payload.MessageKey(image);
        var firstFailure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var imageHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var steady = new ConcurrentQueue<string>();
        await using var gateway = await TestGateway.StartAsync(dir.Path, Options, clock: clock, handlers: hooks => hooks
            .OnMessage(
                async (e, ct) =>
                {
                    if (e.Payload is not TextMessage)
                    {
                        imageHandled.TrySetResult();
                        return;
                    }

                    firstFailure.TrySetResult();
                    if (e.Attempt == 2)
                    {
                        // The text keeps failing until the same handler has taken the image posted after it.
                        await imageHandled.Task.WaitAsync(Await.Bound, ct);
                    }

                    throw new InvalidOperationException($"attempt {e.Attempt} refused");
                },
                name: "flaky")
            .On<TextMessage>((e, ct) =>
            {
                steady.Enqueue(e.EventId);
                return Task.CompletedTask;
            }));

        await gateway.PostAsync(text);
        await Await.Within(firstFailure);
        await gateway.PostAsync(image);
        // Each retry is due within the longest backoff: the clock moves that far once an attempt is recorded, so it
        // never moves while an attempt runs.
        for (var made = 1; made < MaxAttempts; made++)
        {
            await Await.UntilAsync(
                async () => (await gateway.Store.ListAttemptsAsync(textId, "flaky", TestContext.Current.CancellationToken)).Count >= made,
                $"attempt {made} recorded");
            clock.Advance(MaxDelay);
        }

        await Await.UntilAsync(async () => (await gateway.Store.ListDeadLettersAsync("flaky", 10, TestContext.Current.CancellationToken)).Count > 0, "the dead letter");

        var dead = Assert.Single(await gateway.Store.ListDeadLettersAsync("flaky", 10, TestContext.Current.CancellationToken));
        Assert.Equal(textId, dead.EventId);
        Assert.Equal(MaxAttempts, dead.Attempts);
        var attempts = await gateway.Store.ListAttemptsAsync(textId, "flaky", TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(1, MaxAttempts), attempts.Select(a => a.Number));
        Assert.All(attempts, a => Assert.False(a.Succeeded));
        Assert.All(attempts, a => Assert.StartsWith("System.InvalidOperationException: attempt", a.Error, StringComparison.Ordinal));
        Assert.True(Assert.Single(await gateway.Store.ListAttemptsAsync(imageId, "flaky", TestContext.Current.CancellationToken)).Succeeded);
        Assert.Equal([textId], steady);
        Assert.True(Assert.Single(await gateway.Store.ListAttemptsAsync(textId, "handler:On<TextMessage>", TestContext.Current.CancellationToken)).Succeeded);

        var failureLines = gateway.Logs.Lines.Where(l => l.Contains("flaky", StringComparison.Ordinal)).ToArray();
        Assert.Equal(MaxAttempts, failureLines.Length);
        Assert.All(failureLines, l => Assert.Contains("System.InvalidOperationException: attempt", l, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, l => l.Contains(textBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handler_that_hangs_past_its_timeout_fails_the_attempt_and_does_not_stop_another_handler()
    {
        using var dir = new TempDirectory();
        var clock = new TestClock();
        var timeout = TimeSpan.FromSeconds(30);
        var hung = new TaskCompletionSource();
        var others = new ConcurrentQueue<string>();
        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            o =>
            {
                Options(o);
                o.Handlers.MaxAttempts = 2;
                o.Handlers.Timeout = timeout;
            },
            clock: clock,
            handlers: hooks => hooks
                // Ignores its token, so only the dispatcher's own timeout can end the attempt.
                .On<TextMessage>((e, ct) => hung.Task, name: "hangs")
                .OnMessage((e, ct) =>
                {
                    others.Enqueue(e.EventId);
                    return Task.CompletedTask;
                }));
        var text = Payload.Read("messages-text.json");
        var textId = Payload.MessageKey(text);
        var secondText = Payload.WithWamid("messages-text.json", "wamid.second");

        await gateway.PostAsync(text);
        await gateway.PostAsync(secondText);
        await gateway.PostAsync(Payload.Read("messages-image.json"));
        // The clock has not moved, so both texts still hang: the other handler gets all three messages regardless.
        await Await.UntilAsync(() => others.Count == 3, "the other handler to get all three messages");
        Assert.Empty(await gateway.Store.ListAttemptsAsync(textId, "hangs", TestContext.Current.CancellationToken));

        // Only the handler's timeout ends its attempts: the clock moves past each timeout and backoff.
        await clock.AdvanceUntilAsync(
            timeout,
            async () => (await gateway.Store.ListDeadLettersAsync("hangs", 10, TestContext.Current.CancellationToken)).Count == 2,
            "both texts to time out twice");

        var attempts = await gateway.Store.ListAttemptsAsync(textId, "hangs", TestContext.Current.CancellationToken);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal($"timed out after {timeout}", a.Error));
        Assert.All(attempts, a => Assert.True(a.Duration >= timeout, $"attempt {a.Number} took {a.Duration}"));
        hung.SetResult();
    }
}
