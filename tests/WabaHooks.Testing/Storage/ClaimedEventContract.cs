using Microsoft.Extensions.Time.Testing;
using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// What every store must return with claimed work: the stored event and its locator (<see cref="SinkWorkItem.Event"/>),
/// so dispatch rebuilds the event without splitting its delivery again. SQLite and PostgreSQL derive from it.
/// </summary>
public abstract class ClaimedEventContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_767_261_601);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private object? _store;

    /// <summary>The store under test.</summary>
    protected IEventStore Events => (IEventStore)(_store ?? throw new InvalidOperationException("Not initialised."));

    /// <summary>The same store's sink work.</summary>
    protected ISinkWorkStore Work => (ISinkWorkStore)Events;

    /// <summary>The same store's inbox.</summary>
    protected IDeliveryStore Inbox => (IDeliveryStore)Events;

    /// <summary>The store's clock, which stamps scheduled work: a derived class must hand it to the store it creates.</summary>
    protected FakeTimeProvider Clock { get; } = new(T0.AddHours(1));

    /// <summary>A fresh, empty store implementing all three interfaces, on <see cref="Clock"/>.</summary>
    protected abstract Task<object> CreateStoreAsync();

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await Inbox.InitializeAsync(Ct);
    }

    /// <inheritdoc/>
    public virtual async ValueTask DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Later => Clock.GetUtcNow().AddMinutes(10);

    [Fact]
    public async Task A_claim_returns_each_items_stored_event_and_locator_so_it_is_rebuilt_as_split()
    {
        var (delivery, split) = await StoreSplitAsync("messages-batched-mixed.json", sink: "a");

        var claimed = await Work.ClaimDueAsync("a", 100, Later, Lease, Ct);

        Assert.Equal(split.Select(e => e.Id).Order(), claimed.Select(c => c.EventId).Order());
        foreach (var item in claimed)
        {
            var e = split.Single(s => s.Id == item.EventId);
            var stored = Assert.IsType<ClaimedEvent>(item.Event);
            Assert.Equal((e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.IsTest), (stored.Type, stored.Field, stored.WabaId, stored.PhoneNumberId, stored.OccurredAt, stored.Position, stored.IsTest));
            Assert.Equal(StoredEvents.Locate(e, delivery.Body.Span, split.Count), stored.Locator.ToArray());

            Assert.True(StoredEvents.TryRebuild(delivery, item.EventId, stored, out var rebuilt));
            Assert.Equal((e.Id, e.Type, e.Kind), (rebuilt.Id, rebuilt.Type, rebuilt.Kind));
            Assert.Equal(e.RawJson.ToArray(), rebuilt.RawJson.ToArray());
        }
    }

    [Fact]
    public async Task A_claim_in_order_returns_the_stored_event_and_locator_too()
    {
        var (delivery, split) = await StoreSplitAsync("messages-text.json", sink: "ordered", ordered: true);

        var item = Assert.Single(await Work.ClaimDueInOrderAsync("ordered", 10, Later, Lease, TimeSpan.Zero, Ct));

        var e = Assert.Single(split);
        Assert.Equal(StoredEvents.Locate(e, delivery.Body.Span, 1), item.Event!.Locator.ToArray());
        Assert.True(StoredEvents.TryRebuild(delivery, item.EventId, item.Event, out var rebuilt));
        Assert.Equal((e.Id, e.Type), (rebuilt.Id, rebuilt.Type));
    }

    [Fact]
    public async Task An_event_stored_without_a_locator_is_claimed_with_an_empty_one()
    {
        var delivery = (await Inbox.AppendAsync([new InboundDelivery("{}"u8.ToArray(), T0, "app", DeliveryFlags.None)], Ct))[0];
        var old = new NewEvent("e1", "messages.text", "messages", "waba-1", null, null, 3, "{}"u8.ToArray(), null, ["a"], IsTest: true);
        await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, null, [old])]), Ct);

        var item = Assert.Single(await Work.ClaimDueAsync("a", 10, Later, Lease, Ct));

        Assert.Equal(new ClaimedEvent("messages.text", "messages", "waba-1", null, null, 3, true, default), item.Event! with { Locator = default });
        Assert.True(item.Event.Locator.IsEmpty);
    }

    [Fact]
    public async Task A_replayed_event_is_claimed_with_its_locator()
    {
        var (delivery, split) = await StoreSplitAsync("messages-text.json", sink: "a");
        var e = Assert.Single(split);
        var first = Assert.Single(await Work.ClaimDueAsync("a", 10, Later, Lease, Ct));
        await Work.RecordAttemptAsync(first, new SinkAttempt(e.Id, "a", 1, Later, TimeSpan.Zero, true, 200, null, null), null, Ct);

        Assert.Equal(1, await Work.EnqueueAsync([e.Id], "replay", Later, Ct));
        var replayed = Assert.Single(await Work.ClaimDueAsync("replay", 10, Later.AddSeconds(1), Lease, Ct));

        Assert.True(StoredEvents.TryRebuild(delivery, replayed.EventId, replayed.Event!, out var rebuilt));
        Assert.Equal(e.RawJson.ToArray(), rebuilt.RawJson.ToArray());
    }

    /// <summary>Appends an example delivery and stores its split the way the processor does, locators and all.</summary>
    private async Task<(Delivery Delivery, IReadOnlyList<WabaEvent> Split)> StoreSplitAsync(string example, string sink, bool ordered = false)
    {
        var body = ExamplePayloads.Read(example);
        var id = (await Inbox.AppendAsync([new InboundDelivery(body, T0, "app", DeliveryClassifier.Classify(body))], Ct))[0];
        var delivery = (await Inbox.GetAsync(id, Ct))!;
        var split = DeliverySplitter.Split(delivery).Events;
        var events = split.Select(e => new NewEvent(e.Id, e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.RawJson.ToArray(), null, [sink], e.IsTest)
        {
            ConversationKey = ordered ? ConversationKeys.Of(e) : null,
            OrderedSinks = ordered ? [sink] : [],
            Locator = StoredEvents.Locate(e, delivery.Body.Span, split.Count),
        }).ToArray();
        await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(id, null, events)]), Ct);
        return (delivery, split);
    }
}
