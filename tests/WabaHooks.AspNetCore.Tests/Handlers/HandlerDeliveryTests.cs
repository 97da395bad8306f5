using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Handlers;
using WabaHooks.Payloads;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Handlers;

public sealed class HandlerDeliveryTests
{
    private static void Fast(WabaHooksOptions options)
    {
        options.Handlers.PollInterval = TimeSpan.FromMilliseconds(20);
        options.Handlers.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Handlers.MaxDelay = TimeSpan.FromMilliseconds(50);
    }

    [Fact]
    public async Task A_signed_text_message_reaches_an_On_TextMessage_handler_with_its_idempotency_key_and_typed_body()
    {
        using var dir = new TempDirectory();
        var received = new TaskCompletionSource<WabaHookContext<TextMessage>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scoped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var gateway = await TestGateway.StartAsync(dir.Path, Fast, hooks => hooks.On<TextMessage>((e, ct) =>
        {
            scoped.TrySetResult(e.Services.GetService<IServiceScopeFactory>() is not null);
            received.TrySetResult(e);
            return Task.CompletedTask;
        }));
        var body = Payload.Read("messages-text.json");
        var message = Payload.FirstMessage(body);

        await gateway.PostAsync(body);
        var context = await Await.Within(received);

        Assert.Equal(Payload.MessageKey(body), context.EventId);
        Assert.Equal((string)message["id"]!, context.Payload.Wamid);
        Assert.Equal((string)message["text"]!["body"]!, context.Payload.Text?.Body);
        Assert.Equal((string)message["from"]!, context.Payload.From);
        Assert.Equal("messages.text", context.Event.Type);
        Assert.Equal("messages", context.Event.Field);
        Assert.Equal((string)Payload.Value(body)["metadata"]!["phone_number_id"]!, context.Event.PhoneNumberId);
        Assert.Equal("447700900456", Assert.Single(context.Event.Contacts!).WaId);
        Assert.Equal(1, context.Attempt);
        Assert.Equal("handler:On<TextMessage>", context.HandlerName);
        Assert.True(await Await.Within(scoped));
    }

    [Fact]
    public async Task OnStatus_gets_statuses_OnMessage_gets_every_message_and_On_field_gets_that_field_only()
    {
        using var dir = new TempDirectory();
        var statuses = new ConcurrentQueue<MessageStatus>();
        var messages = new ConcurrentQueue<InboundMessage>();
        var accountUpdates = new ConcurrentQueue<object>();
        var texts = new ConcurrentQueue<TextMessage>();
        await using var gateway = await TestGateway.StartAsync(dir.Path, Fast, hooks => hooks
            .OnStatus((e, ct) => Record(statuses, e.Payload), name: "statuses")
            .OnMessage((e, ct) => Record(messages, e.Payload), name: "messages")
            .On("account_update", (e, ct) => Record(accountUpdates, e.Payload), name: "account-updates")
            .On<TextMessage>((e, ct) => Record(texts, e.Payload), name: "texts"));
        var status = Payload.Read("messages-status-read.json");
        var image = Payload.Read("messages-image.json");
        var accountUpdate = Payload.Read("account_update-disabled.json");

        await gateway.PostAsync(status);
        await gateway.PostAsync(image);
        await gateway.PostAsync(accountUpdate);
        // A handler's work is scheduled in the transaction that stores its event: once the three deliveries are
        // processed and no work is pending, the store holds every call there was and will be.
        await WaitUntilSettledAsync(gateway, deliveries: 3);

        var work = await gateway.BacklogAsync();
        Assert.Equal(["account-updates", "messages", "statuses"], work.Keys.Order(StringComparer.Ordinal));
        Assert.All(work.Values, b => Assert.Equal((b.Sink, 1L, 0L), (b.Sink, b.Done, b.Dead)));
        var read = Assert.Single(statuses);
        Assert.Equal("read", read.Status);
        Assert.Equal((string)Payload.Value(status)["statuses"]![0]!["id"]!, read.Wamid);
        Assert.IsType<ImageMessage>(Assert.Single(messages));
        Assert.IsType<AccountUpdate>(Assert.Single(accountUpdates));
        Assert.Empty(texts);
    }

    [Fact]
    public async Task The_same_delivery_posted_twice_runs_the_handler_once()
    {
        using var dir = new TempDirectory();
        var calls = new ConcurrentQueue<string>();
        await using var gateway = await TestGateway.StartAsync(dir.Path, Fast, hooks => hooks.On<TextMessage>((e, ct) => Record(calls, e.EventId)));
        var body = Payload.Read("messages-text.json");

        await gateway.PostAsync(body);
        await gateway.PostAsync(body);
        await Await.UntilAsync(
            async () => (await gateway.Store.ListDeliveryOutcomesAsync(10, null, TestContext.Current.CancellationToken)).Count(o => o.Duplicates == 1) == 1,
            "the second delivery to be processed as a duplicate");
        await WaitUntilSettledAsync(gateway, deliveries: 2);

        // The duplicate scheduled no work of its own: one item, handled once.
        var work = Assert.Single(await gateway.Store.GetBacklogAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("handler:On<TextMessage>", 1L, 0L), (work.Sink, work.Done, work.Dead));
        Assert.Single(calls);
        var attempts = await gateway.Store.ListAttemptsAsync(calls.Single(), "handler:On<TextMessage>", TestContext.Current.CancellationToken);
        Assert.True(Assert.Single(attempts).Succeeded);
    }

    [Fact]
    public async Task A_handler_that_blocks_forever_does_not_delay_the_200_to_Meta()
    {
        using var dir = new TempDirectory();
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Disposed after the handler is released below: a gateway stopping with the handler still blocked would wait
        // out its shutdown grace.
        await using var gateway = await TestGateway.StartAsync(
            dir.Path,
            o =>
            {
                Fast(o);
                o.Handlers.Timeout = TimeSpan.FromSeconds(1);
            },
            hooks => hooks.OnMessage((e, ct) =>
            {
                entered.TrySetResult();
                // Blocks its thread, ignoring the token: the worst a handler can do.
                release.Wait(TestContext.Current.CancellationToken);
                return Task.CompletedTask;
            }));
        try
        {
            await gateway.PostAsync(Payload.Read("messages-text.json"));
            await Await.Within(entered);
            var clock = Stopwatch.StartNew();
            await gateway.PostAsync(Payload.Read("messages-image.json"));
            await gateway.PostAsync(Payload.Read("messages-audio-voice.json"));

            // The handler blocks until released, so a 200 that waited for it would never come: the bound only has to
            // be finite, and is generous so a loaded machine cannot fail it.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"two 200s took {clock.Elapsed} while a handler was blocked");
        }
        finally
        {
            release.Set();
        }
    }

    /// <summary>Waits until the processor has committed <paramref name="deliveries"/> deliveries and no handler has work pending.</summary>
    private static Task WaitUntilSettledAsync(TestGateway gateway, int deliveries) =>
        Await.UntilAsync(
            async () => await gateway.ProcessedCountAsync() == deliveries && (await gateway.BacklogAsync()).Values.All(b => b.Pending == 0),
            $"{deliveries} deliveries processed and every handler's work done");

    private static Task Record<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        return Task.CompletedTask;
    }
}
