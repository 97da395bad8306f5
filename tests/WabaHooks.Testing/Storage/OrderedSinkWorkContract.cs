using System.Text;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// What every store must do for sinks that take events in order per conversation
/// (<see cref="ISinkWorkStore.ClaimDueInOrderAsync"/>). SQLite and PostgreSQL derive from it.
/// </summary>
public abstract class OrderedSinkWorkContract : IAsyncLifetime
{
    private const string Sink = "ordered";
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

    // Claims look from after the window, unless a test is about the window.
    private DateTimeOffset Later => Clock.GetUtcNow().AddMinutes(10);

    /// <summary>An event of <paramref name="conversation"/> that Meta stamped <paramref name="second"/> seconds after T0.</summary>
    private static NewEvent Event(string id, string conversation, int? second, params string[] sinks) =>
        new(id, "messages.text", "messages", "waba-1", "phone-1", second is { } s ? T0.AddSeconds(s) : null, 0, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"), null,
            sinks.Length == 0 ? [Sink] : sinks)
        {
            ConversationKey = conversation,
            OrderedSinks = [Sink],
        };

    private async Task CommitAsync(params NewEvent[] events)
    {
        var delivery = (await Inbox.AppendAsync([new InboundDelivery("{}"u8.ToArray(), T0, "app", DeliveryFlags.None)], Ct))[0];
        await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, null, events)]), Ct);
    }

    private Task<IReadOnlyList<SinkWorkItem>> ClaimAsync(DateTimeOffset now, int limit = 10, TimeSpan? window = null) =>
        Work.ClaimDueInOrderAsync(Sink, limit, now, Lease, window ?? TimeSpan.Zero, Ct);

    private Task SucceedAsync(SinkWorkItem item, DateTimeOffset at) =>
        Work.RecordAttemptAsync(item, new SinkAttempt(item.EventId, item.Sink, item.Attempts + 1, at, TimeSpan.FromMilliseconds(3), true, 200, null, "OK"), null, Ct);

    private Task FailAsync(SinkWorkItem item, DateTimeOffset at, DateTimeOffset? retryAt) =>
        Work.RecordAttemptAsync(item, new SinkAttempt(item.EventId, item.Sink, item.Attempts + 1, at, TimeSpan.FromMilliseconds(3), false, 500, "HTTP 500", null), retryAt, Ct);

    /// <summary>Claims and completes until nothing is left, one claim at a time, and returns the order things were handed over in.</summary>
    private async Task<List<string>> DrainAsync(DateTimeOffset now)
    {
        var order = new List<string>();
        for (var round = 0; round < 100; round++)
        {
            var items = await ClaimAsync(now);
            if (items.Count == 0)
            {
                return order;
            }

            foreach (var item in items)
            {
                order.Add(item.EventId);
                await SucceedAsync(item, now);
            }
        }

        throw new InvalidOperationException("Still claiming after 100 rounds.");
    }

    [Fact]
    public async Task A_claim_takes_one_item_per_conversation_the_first_by_Metas_timestamp_then_storage()
    {
        // Stored out of order across three deliveries; b2 and b3 share a timestamp, so storage decides between them.
        await CommitAsync(Event("a3", "A", 3), Event("b3", "B", 2));
        await CommitAsync(Event("a1", "A", 1), Event("b2", "B", 2));
        await CommitAsync(Event("a2", "A", 2), Event("b1", "B", 1));

        var first = await ClaimAsync(Later);

        Assert.Equal(["a1", "b1"], first.Select(i => i.EventId).Order());
        Assert.All(first, i => Assert.False(i.IsLate));
        Assert.Equal(["A", "B"], first.Select(i => i.ConversationKey).Order());
        Assert.Empty(await ClaimAsync(Later));
        foreach (var item in first)
        {
            await SucceedAsync(item, Later);
        }

        var rest = await DrainAsync(Later);
        Assert.Equal(["a2", "a3"], rest.Where(id => id[0] == 'a'));
        Assert.Equal(["b3", "b2"], rest.Where(id => id[0] == 'b'));
    }

    [Fact]
    public async Task A_failing_first_event_holds_back_its_conversation_only_until_its_retry_is_due()
    {
        await CommitAsync(Event("a1", "A", 1), Event("a2", "A", 2), Event("b1", "B", 1), Event("b2", "B", 2));
        var now = Later;
        var claimed = (await ClaimAsync(now)).ToDictionary(i => i.EventId);
        await FailAsync(claimed["a1"], now, now.AddMinutes(5));
        await SucceedAsync(claimed["b1"], now);

        var b2 = Assert.Single(await ClaimAsync(now.AddMinutes(1)));
        Assert.Equal("b2", b2.EventId);
        await SucceedAsync(b2, now.AddMinutes(1));
        Assert.Empty(await ClaimAsync(now.AddMinutes(4)));
        var retried = Assert.Single(await ClaimAsync(now.AddMinutes(5)));
        Assert.Equal(("a1", 1), (retried.EventId, retried.Attempts));
    }

    [Fact]
    public async Task Dead_lettering_the_first_event_releases_its_conversation_to_the_next()
    {
        await CommitAsync(Event("a1", "A", 1), Event("a2", "A", 2));
        var now = Later;
        var first = Assert.Single(await ClaimAsync(now));

        await FailAsync(first, now, retryAt: null);

        var next = Assert.Single(await ClaimAsync(now));
        Assert.Equal(("a2", false), (next.EventId, next.IsLate));
        Assert.Equal("a1", Assert.Single(await Work.ListDeadLettersAsync(Sink, 10, Ct)).EventId);
    }

    [Fact]
    public async Task A_conversation_stays_taken_while_its_item_is_leased_even_when_an_earlier_event_arrives()
    {
        await CommitAsync(Event("a2", "A", 2));
        var now = Later;
        var taken = Assert.Single(await ClaimAsync(now));

        await CommitAsync(Event("a1", "A", 1));

        Assert.Empty(await ClaimAsync(now.AddSeconds(30)));
        // The holder died: when the lease runs out, the conversation is free again, and its first event goes first.
        var after = Assert.Single(await ClaimAsync(now + Lease));
        Assert.Equal("a1", after.EventId);
        Assert.Equal("a2", taken.EventId);
    }

    [Fact]
    public async Task An_item_waits_out_the_reorder_window_so_an_earlier_event_arriving_within_it_goes_first()
    {
        var window = TimeSpan.FromSeconds(2);
        await CommitAsync(Event("a2", "A", 2));
        var stored = Clock.GetUtcNow();

        Assert.Empty(await ClaimAsync(stored.AddSeconds(1), window: window));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await CommitAsync(Event("a1", "A", 1));

        // a2 has waited out its window, but a1 is first and has not: the conversation waits for a1.
        Assert.Empty(await ClaimAsync(stored.AddSeconds(2), window: window));
        Assert.Equal("a1", Assert.Single(await ClaimAsync(stored.AddSeconds(3), window: window)).EventId);
    }

    [Fact]
    public async Task An_earlier_event_arriving_after_a_later_one_was_handed_over_goes_next_marked_late()
    {
        await CommitAsync(Event("a2", "A", 2));
        var now = Later;
        await SucceedAsync(Assert.Single(await ClaimAsync(now)), now);

        await CommitAsync(Event("a1", "A", 1), Event("a3", "A", 3));

        var late = Assert.Single(await ClaimAsync(Later));
        Assert.Equal(("a1", true), (late.EventId, late.IsLate));
        await SucceedAsync(late, Later);
        var next = Assert.Single(await ClaimAsync(Later));
        Assert.Equal(("a3", false), (next.EventId, next.IsLate));
    }

    [Fact]
    public async Task Without_a_Meta_timestamp_an_event_is_ordered_by_when_it_was_stored()
    {
        await CommitAsync(Event("a1", "A", null));
        Clock.Advance(TimeSpan.FromSeconds(5));
        await CommitAsync(Event("a2", "A", null));

        Assert.Equal(["a1", "a2"], await DrainAsync(Later));
    }

    [Fact]
    public async Task Unordered_sinks_of_the_same_events_claim_as_before()
    {
        await CommitAsync(Event("a1", "A", 1, Sink, "plain"), Event("a2", "A", 2, Sink, "plain"));

        var plain = await Work.ClaimDueAsync("plain", 10, Later, Lease, Ct);

        Assert.Equal(["a1", "a2"], plain.Select(i => i.EventId));
        Assert.All(plain, i => Assert.Null(i.ConversationKey));
        Assert.Single(await ClaimAsync(Later));
    }

    [Fact]
    public async Task Work_scheduled_before_the_sink_was_ordered_goes_as_it_comes_and_a_dead_letter_of_it_is_sent_again()
    {
        // Scheduled with no conversation: the sink was not ordered when these were stored.
        await CommitAsync(
            Event("u1", "A", 1) with { OrderedSinks = [] },
            Event("u2", "A", 2) with { OrderedSinks = [] });
        var now = Later;

        var claimed = await ClaimAsync(now);

        Assert.Equal(["u1", "u2"], claimed.Select(i => i.EventId).Order());
        Assert.All(claimed, i => Assert.Null(i.ConversationKey));
        var byId = claimed.ToDictionary(i => i.EventId);
        await SucceedAsync(byId["u2"], now);
        await FailAsync(byId["u1"], now, retryAt: null);
        Assert.Empty(await ClaimAsync(now));

        Assert.Equal(1, await Work.RetryDeadLettersAsync(Sink, now, Ct));
        Assert.Equal("u1", Assert.Single(await ClaimAsync(now)).EventId);
    }

    [Fact]
    public async Task A_paused_ordered_sink_claims_nothing_until_it_is_resumed()
    {
        await CommitAsync(Event("a1", "A", 1), Event("b1", "B", 1));
        var admin = (IAdminStore)Events;
        var now = Later;

        Assert.True(await admin.SetSinkPausedAsync(Sink, paused: true, now, Ct));
        Assert.Empty(await ClaimAsync(now));

        Assert.True(await admin.SetSinkPausedAsync(Sink, paused: false, now, Ct));
        Assert.Equal(["a1", "b1"], (await ClaimAsync(now)).Select(i => i.EventId).Order());
    }

    [Fact]
    public async Task A_replay_to_an_ordered_sink_keeps_the_events_conversation_and_Meta_timestamp()
    {
        await CommitAsync(Event("a1", "A", 1), Event("a2", "A", 2));
        Assert.Equal(["a1", "a2"], await DrainAsync(Later));

        Assert.Equal(2, await Work.EnqueueAsync(["a2", "a1"], Sink, Later, Ct));

        var replayed = Assert.Single(await ClaimAsync(Later));
        Assert.Equal(("a1", "A"), (replayed.EventId, replayed.ConversationKey));
    }
}
