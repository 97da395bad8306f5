using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// What every store must do with events, the status view, cursors and sink work. SQLite and PostgreSQL derive from it.
/// </summary>
public abstract class EventStoreContract : IAsyncLifetime
{
    private object? _store;

    /// <summary>The store under test.</summary>
    protected IEventStore Events => (IEventStore)(_store ?? throw new InvalidOperationException("Not initialised."));

    /// <summary>The same store's sink work.</summary>
    protected ISinkWorkStore Work => (ISinkWorkStore)Events;

    /// <summary>The same store's inbox.</summary>
    protected IDeliveryStore Inbox => (IDeliveryStore)Events;

    /// <summary>A fresh, empty store implementing all three interfaces.</summary>
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

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_767_261_601);

    // Work is scheduled at the store's own clock (real time); claims look from a little later.
    private static DateTimeOffset Later => DateTimeOffset.UtcNow.AddHours(1);

    private async Task<long> DeliveryAsync() =>
        (await Inbox.AppendAsync([new InboundDelivery("{}"u8.ToArray(), T0, "app", DeliveryFlags.None)], Ct))[0];

    private static NewEvent Event(string id, string type = "messages.text", string field = "messages", string waba = "waba-1", string? phone = "phone-1",
        StatusChange? status = null, params string[] sinks) =>
        new(id, type, field, waba, phone, T0, 0, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"), status, sinks);

    private async Task<ProcessingResult> CommitAsync(long deliveryId, params NewEvent[] events) =>
        await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(deliveryId, null, events)]), Ct);

    [Fact]
    public async Task A_committed_batch_stores_its_events_and_marks_its_delivery_processed()
    {
        var delivery = await DeliveryAsync();

        var result = await CommitAsync(delivery, Event("msg:a"), Event("msg:b"));

        Assert.Equal(new ProcessingResult(2, 0), result);
        Assert.Empty(await Inbox.ReadUnprocessedAsync(10, Ct));
        var stored = await Events.GetEventAsync("msg:a", Ct);
        Assert.NotNull(stored);
        Assert.Equal(("messages.text", "messages", "waba-1", "phone-1", delivery), (stored.Type, stored.Field, stored.WabaId, stored.PhoneNumberId, stored.DeliveryId));
        Assert.Equal("{\"id\":\"msg:a\"}", Encoding.UTF8.GetString(stored.RawJson.Span));
        Assert.Equal(T0, stored.OccurredAt);
    }

    [Fact]
    public async Task An_event_whose_key_is_already_stored_is_counted_as_a_duplicate_not_stored_again()
    {
        var first = await DeliveryAsync();
        var second = await DeliveryAsync();
        await CommitAsync(first, Event("msg:a", sinks: "s1"));

        var result = await CommitAsync(second, Event("msg:a", sinks: "s1"), Event("msg:b"));

        Assert.Equal(new ProcessingResult(1, 1), result);
        Assert.Equal(2, (await Events.ListEventsAsync(new EventQuery(), Ct)).Count);
        Assert.Equal(first, (await Events.GetEventAsync("msg:a", Ct))!.DeliveryId);
        var outcomes = await Events.ListDeliveryOutcomesAsync(10, null, Ct);
        Assert.Equal([(second, 1, 1), (first, 1, 0)], outcomes.Select(o => (o.DeliveryId, o.Events, o.Duplicates)));
        Assert.Single(await Work.ClaimDueAsync("s1", 10, Later, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task A_batch_that_fails_keeps_nothing_and_leaves_the_cursor()
    {
        var first = await DeliveryAsync();
        var second = await DeliveryAsync();
        var broken = Event("msg:broken") with { Type = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => Events.CommitProcessedAsync(
            new ProcessedBatch([new ProcessedDelivery(first, null, [Event("msg:ok")]), new ProcessedDelivery(second, null, [broken])]), Ct));

        Assert.Null(await Events.GetEventAsync("msg:ok", Ct));
        Assert.Equal([first, second], (await Inbox.ReadUnprocessedAsync(10, Ct)).Select(d => d.Id));
        Assert.Empty(await Events.ListDeliveryOutcomesAsync(10, null, Ct));
    }

    [Fact]
    public async Task Unprocessed_deliveries_are_read_in_order_until_a_commit_marks_them()
    {
        var first = await DeliveryAsync();
        var second = await DeliveryAsync();
        var third = await DeliveryAsync();
        Assert.Equal([first, second], (await Inbox.ReadUnprocessedAsync(2, Ct)).Select(d => d.Id));

        await CommitAsync(second, Event("msg:second"));

        Assert.Equal([first, third], (await Inbox.ReadUnprocessedAsync(10, Ct)).Select(d => d.Id));
    }

    [Fact]
    public async Task A_delivery_that_did_not_parse_is_marked_with_its_error()
    {
        var delivery = await DeliveryAsync();

        await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, "NotJson: bad", [])]), Ct);

        var outcome = Assert.Single(await Events.ListDeliveryOutcomesAsync(10, null, Ct));
        Assert.Equal("NotJson: bad", outcome.ParseError);
        Assert.Empty(await Inbox.ReadUnprocessedAsync(10, Ct));
    }

    [Fact]
    public async Task Events_list_newest_first_with_every_filter()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery,
            Event("e1", type: "messages.text"),
            Event("e2", type: "statuses.read"),
            Event("e3", type: "account_update", field: "account_update", waba: "waba-2", phone: null));

        async Task<string[]> Ids(EventQuery q) => [.. (await Events.ListEventsAsync(q, Ct)).Select(e => e.Id)];
        Assert.Equal(["e3", "e2", "e1"], await Ids(new EventQuery()));
        Assert.Equal(["e2", "e1"], await Ids(new EventQuery { Field = "messages" }));
        Assert.Equal(["e2"], await Ids(new EventQuery { Type = "statuses.read" }));
        Assert.Equal(["e3"], await Ids(new EventQuery { WabaId = "waba-2" }));
        Assert.Equal(["e2", "e1"], await Ids(new EventQuery { PhoneNumberId = "phone-1" }));
        Assert.Equal(["e3"], await Ids(new EventQuery { Limit = 1 }));
        var all = await Events.ListEventsAsync(new EventQuery(), Ct);
        Assert.Equal(["e1"], await Ids(new EventQuery { BeforeSequence = all[1].Sequence }));
        Assert.Empty(await Ids(new EventQuery { Since = all[0].StoredAt.AddMinutes(1) }));
        Assert.Equal(3, (await Ids(new EventQuery { Since = all[0].StoredAt.AddMinutes(-1) })).Length);
    }

    [Fact]
    public async Task The_status_view_only_moves_forward_and_keeps_every_status()
    {
        var delivery = await DeliveryAsync();
        StatusChange S(string status, int second) => new("wamid.X", status, "447700900456", T0.AddSeconds(second));

        await CommitAsync(delivery, Event("status:x:sent", "statuses.sent", status: S("sent", 1)));
        await CommitAsync(delivery, Event("status:x:read", "statuses.read", status: S("read", 3)));
        await CommitAsync(delivery, Event("status:x:delivered", "statuses.delivered", status: S("delivered", 2)));

        var history = await Events.GetMessageStatusAsync("wamid.X", Ct);
        Assert.NotNull(history);
        Assert.Equal("read", history.Current);
        Assert.Equal(T0.AddSeconds(3), history.UpdatedAt);
        Assert.Equal([("sent", true), ("read", true), ("delivered", false)], history.Timeline.Select(t => (t.Status, t.Applied)));

        await CommitAsync(delivery, Event("status:x:played", "statuses.played", status: S("played", 4)));
        await CommitAsync(delivery, Event("status:x:failed", "statuses.failed", status: S("failed", 5)));
        await CommitAsync(delivery, Event("status:x:deleted", "statuses.unknown", status: S("deleted", 6)));
        await CommitAsync(delivery, Event("status:x:read2", "statuses.read", status: S("read", 7)));

        history = await Events.GetMessageStatusAsync("wamid.X", Ct);
        Assert.Equal("failed", history!.Current);
        Assert.Equal(7, history.Timeline.Count);
        Assert.Null(await Events.GetMessageStatusAsync("wamid.unknown", Ct));
    }

    [Fact]
    public async Task A_read_with_no_delivered_before_it_sets_read()
    {
        var delivery = await DeliveryAsync();

        await CommitAsync(delivery, Event("status:y:read", "statuses.read", status: new StatusChange("wamid.Y", "read", null, T0)));

        Assert.Equal("read", (await Events.GetMessageStatusAsync("wamid.Y", Ct))!.Current);
    }

    [Fact]
    public async Task Sink_work_is_claimed_oldest_first_and_leased()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery, Event("e1", sinks: ["a", "b"]), Event("e2", sinks: "a"), Event("e3"));

        var now = Later;
        var claimed = await Work.ClaimDueAsync("a", 10, now, TimeSpan.FromMinutes(1), Ct);

        Assert.Equal(["e1", "e2"], claimed.Select(w => w.EventId));
        Assert.All(claimed, w => Assert.Equal((SinkWorkState.Pending, 0, delivery), (w.State, w.Attempts, w.DeliveryId)));
        Assert.Empty(await Work.ClaimDueAsync("a", 10, now.AddSeconds(30), TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(2, (await Work.ClaimDueAsync("a", 10, now.AddMinutes(2), TimeSpan.FromMinutes(1), Ct)).Count);
        Assert.Equal(["e1"], (await Work.ClaimDueAsync("b", 10, now, TimeSpan.FromMinutes(1), Ct)).Select(w => w.EventId));
    }

    [Fact]
    public async Task Attempts_complete_retry_or_dead_letter_an_item()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery, Event("ok", sinks: "s"), Event("retry", sinks: "s"), Event("dead", sinks: "s"));
        var now = Later;
        var items = (await Work.ClaimDueAsync("s", 10, now, TimeSpan.FromMinutes(1), Ct)).ToDictionary(i => i.EventId);

        await Work.RecordAttemptAsync(items["ok"], new SinkAttempt("ok", "s", 1, now, TimeSpan.FromMilliseconds(12), true, 200, null, "OK"), null, Ct);
        await Work.RecordAttemptAsync(items["retry"], new SinkAttempt("retry", "s", 1, now, TimeSpan.FromMilliseconds(5), false, 500, "HTTP 500", "oops"), now.AddMinutes(5), Ct);
        await Work.RecordAttemptAsync(items["dead"], new SinkAttempt("dead", "s", 1, now, TimeSpan.FromMilliseconds(5), false, null, "boom", null), null, Ct);

        Assert.Empty(await Work.ClaimDueAsync("s", 10, now.AddMinutes(4), TimeSpan.FromMinutes(1), Ct));
        var retried = Assert.Single(await Work.ClaimDueAsync("s", 10, now.AddMinutes(5), TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(("retry", 1, "HTTP 500"), (retried.EventId, retried.Attempts, retried.LastError));
        var dead = Assert.Single(await Work.ListDeadLettersAsync("s", 10, Ct));
        Assert.Equal(("dead", SinkWorkState.Dead, "boom"), (dead.EventId, dead.State, dead.LastError));
        Assert.Empty(await Work.ListDeadLettersAsync("other", 10, Ct));
        var attempt = Assert.Single(await Work.ListAttemptsAsync("ok", "s", Ct));
        Assert.Equal((true, 200, "OK", 1), (attempt.Succeeded, attempt.StatusCode, attempt.ResponseHead, attempt.Number));
        Assert.Equal(TimeSpan.FromMilliseconds(12), attempt.Duration);
        Assert.Contains(await Work.GetBacklogAsync(Ct), b => b == new SinkBacklog("s", 1, 1, 1));
    }

    [Fact]
    public async Task Dead_letters_can_be_retried_and_events_replayed_to_a_sink()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery, Event("e1", sinks: "s"), Event("e2"));
        var now = Later;
        var item = Assert.Single(await Work.ClaimDueAsync("s", 10, now, TimeSpan.FromMinutes(1), Ct));
        await Work.RecordAttemptAsync(item, new SinkAttempt("e1", "s", 1, now, TimeSpan.Zero, false, null, "x", null), null, Ct);

        Assert.Equal(1, await Work.RetryDeadLettersAsync("s", now, Ct));
        var again = Assert.Single(await Work.ClaimDueAsync("s", 10, now, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(0, again.Attempts);

        Assert.Equal(2, await Work.EnqueueAsync(["e1", "e2", "no-such-event"], "replay", now, Ct));
        Assert.Equal(["e1", "e2"], (await Work.ClaimDueAsync("replay", 10, now, TimeSpan.FromMinutes(1), Ct)).Select(w => w.EventId));
    }
}
