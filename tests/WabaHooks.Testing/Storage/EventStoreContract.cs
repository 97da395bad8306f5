using System.Text;
using Microsoft.Extensions.Time.Testing;
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

    /// <summary>
    /// The store's clock, which stamps stored events and scheduled work: a derived class must hand it to the store it
    /// creates, so the tests can say exactly when work was scheduled.
    /// </summary>
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

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_767_261_601);

    // Work is scheduled at the store's clock; claims look from a little later.
    private DateTimeOffset Later => Clock.GetUtcNow().AddHours(1);

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

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
    public async Task Events_list_by_type_prefix_as_a_destination_filter_matches_and_by_test_mark()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery,
            Event("e1", type: "statuses.read"),
            Event("e2", type: "statuses_x") with { IsTest = true },
            Event("e3", type: "statuses.delivered") with { IsTest = true },
            Event("e4", type: "messages.text"));

        async Task<string[]> Ids(EventQuery q) => [.. (await Events.ListEventsAsync(q, Ct)).Select(e => e.Id)];
        Assert.Equal(["e3", "e1"], await Ids(new EventQuery { Type = "statuses.*" }));
        Assert.Empty(await Ids(new EventQuery { Type = "statuses" }));
        Assert.Equal(["e3", "e2"], await Ids(new EventQuery { Test = true }));
        Assert.Equal(["e4", "e1"], await Ids(new EventQuery { Test = false }));
        Assert.Equal(["e3"], await Ids(new EventQuery { Type = "statuses.*", Test = true }));
        Assert.Equal([false, true, true, false], (await Events.ListEventsAsync(new EventQuery(), Ct)).Select(e => e.IsTest).Reverse());
        Assert.True((await Events.GetEventAsync("e2", Ct))!.IsTest);
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
        var backlog = Assert.Single(await Work.GetBacklogAsync(Ct), b => b.Sink == "s");
        Assert.Equal((1L, 1L, 1L), (backlog.Pending, backlog.Dead, backlog.Done));
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

    [Fact]
    public async Task Work_is_scheduled_at_the_time_its_event_is_committed_and_attempts_do_not_move_it()
    {
        var delivery = await DeliveryAsync();
        var first = Clock.GetUtcNow();
        await CommitAsync(delivery, Event("e1", sinks: ["a", "b"]));
        Clock.Advance(TimeSpan.FromMinutes(3));
        await CommitAsync(delivery, Event("e2", sinks: "a"));
        var now = Later;

        var claimed = await Work.ClaimDueAsync("a", 10, now, Lease, Ct);
        Assert.Equal([("e1", first), ("e2", first.AddMinutes(3))], claimed.Select(w => (w.EventId, w.ScheduledAt)));
        Assert.Equal(first, Assert.Single(await Work.ClaimDueAsync("b", 10, now, Lease, Ct)).ScheduledAt);

        await Work.RecordAttemptsAsync(
            [new(claimed[0], Failure(claimed[0], 1, now, "HTTP 500"), now.AddMinutes(1)), new(claimed[1], Failure(claimed[1], 1, now, "boom"), null)], Ct);

        Assert.Equal(first, Assert.Single(await Work.ClaimDueAsync("a", 10, now.AddMinutes(1), Lease, Ct)).ScheduledAt);
        Assert.Equal(first.AddMinutes(3), Assert.Single(await Work.ListDeadLettersAsync("a", 10, Ct)).ScheduledAt);
    }

    [Fact]
    public async Task A_replay_schedules_work_again_at_the_replay_time_whether_or_not_the_sink_had_it()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery, Event("e1", sinks: "s"), Event("e2"));
        var now = Later;
        var item = Assert.Single(await Work.ClaimDueAsync("s", 10, now, Lease, Ct));
        await Work.RecordAttemptsAsync([new(item, Success(item, 1, now), null)], Ct);
        var replayAt = now.AddHours(2);

        Assert.Equal(2, await Work.EnqueueAsync(["e1", "e2"], "s", replayAt, Ct));

        var replayed = await Work.ClaimDueAsync("s", 10, replayAt, Lease, Ct);
        Assert.Equal([("e1", 0, replayAt), ("e2", 0, replayAt)], replayed.Select(w => (w.EventId, w.Attempts, w.ScheduledAt)));
    }

    [Fact]
    public async Task Retrying_dead_letters_schedules_them_again_at_the_retry_time_and_leaves_other_work_as_scheduled()
    {
        var delivery = await DeliveryAsync();
        var committedAt = Clock.GetUtcNow();
        await CommitAsync(delivery, Event("dead", sinks: "s"), Event("waiting", sinks: "s"));
        var now = Later;
        var items = (await Work.ClaimDueAsync("s", 10, now, Lease, Ct)).ToDictionary(i => i.EventId);
        await Work.RecordAttemptsAsync(
            [new(items["dead"], Failure(items["dead"], 4, now, "boom"), null), new(items["waiting"], Failure(items["waiting"], 1, now, "HTTP 503"), now.AddHours(1))], Ct);
        var retryAt = now.AddMinutes(10);

        Assert.Equal(1, await Work.RetryDeadLettersAsync("s", retryAt, Ct));

        var due = await Work.ClaimDueAsync("s", 10, now.AddHours(1), Lease, Ct);
        Assert.Equal([("dead", 0, retryAt), ("waiting", 1, committedAt)], due.Select(w => (w.EventId, w.Attempts, w.ScheduledAt)));
    }

    [Fact]
    public async Task Outcomes_recorded_in_one_call_complete_retry_and_dead_letter_their_items_and_keep_every_attempt()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery, Event("ok", sinks: "s"), Event("retry", sinks: "s"), Event("dead", sinks: "s"));
        var now = Later;
        var items = (await Work.ClaimDueAsync("s", 10, now, TimeSpan.FromMinutes(10), Ct)).ToDictionary(i => i.EventId);
        var ok = new SinkAttempt("ok", "s", 1, now, TimeSpan.FromMilliseconds(12), true, 200, null, "OK");
        var retry = new SinkAttempt("retry", "s", 3, now.AddSeconds(1), TimeSpan.FromMilliseconds(5), false, 503, "HTTP 503", "busy");
        var dead = new SinkAttempt("dead", "s", 2, now.AddSeconds(2), TimeSpan.FromMilliseconds(7), false, null, "timeout", null);

        await Work.RecordAttemptsAsync([new(items["ok"], ok, null), new(items["retry"], retry, now.AddMinutes(1)), new(items["dead"], dead, null)], Ct);

        // Due at its retry time although its ten-minute lease had not run out: recording the outcome released it.
        Assert.Empty(await Work.ClaimDueAsync("s", 10, now.AddMinutes(1).AddMilliseconds(-1), Lease, Ct));
        var retried = Assert.Single(await Work.ClaimDueAsync("s", 10, now.AddMinutes(1), Lease, Ct));
        Assert.Equal(("retry", SinkWorkState.Pending, 3, "HTTP 503"), (retried.EventId, retried.State, retried.Attempts, retried.LastError));
        var deadLetter = Assert.Single(await Work.ListDeadLettersAsync("s", 10, Ct));
        Assert.Equal(("dead", SinkWorkState.Dead, 2, "timeout"), (deadLetter.EventId, deadLetter.State, deadLetter.Attempts, deadLetter.LastError));
        var backlog = Assert.Single(await Work.GetBacklogAsync(Ct));
        Assert.Equal(("s", 1L, 1L, 1L), (backlog.Sink, backlog.Pending, backlog.Dead, backlog.Done));
        Assert.Equal([ok], await Work.ListAttemptsAsync("ok", "s", Ct));
        Assert.Equal([retry], await Work.ListAttemptsAsync("retry", "s", Ct));
        Assert.Equal([dead], await Work.ListAttemptsAsync("dead", "s", Ct));
    }

    [Fact]
    public async Task Outcomes_recorded_in_one_call_are_kept_all_or_none()
    {
        var delivery = await DeliveryAsync();
        await CommitAsync(delivery, Event("e1", sinks: "s"), Event("e2", sinks: "s"));
        var now = Later;
        var items = await Work.ClaimDueAsync("s", 10, now, Lease, Ct);
        var broken = Success(items[1], 1, now) with { Sink = null! };

        await Assert.ThrowsAnyAsync<Exception>(() => Work.RecordAttemptsAsync([new(items[0], Success(items[0], 1, now), null), new(items[1], broken, null)], Ct));

        Assert.Empty(await Work.ListAttemptsAsync("e1", null, Ct));
        var backlog = Assert.Single(await Work.GetBacklogAsync(Ct));
        Assert.Equal((2L, 0L, 0L, (DateTimeOffset?)null), (backlog.Pending, backlog.Dead, backlog.Done, backlog.LastAttemptAt));
    }

    [Fact]
    public async Task The_backlog_reports_each_sinks_oldest_pending_work_and_its_latest_attempt_success_and_failure()
    {
        var delivery = await DeliveryAsync();
        var first = Clock.GetUtcNow();
        await CommitAsync(delivery, Event("e1", sinks: "s"), Event("e2", sinks: "s"));
        Clock.Advance(TimeSpan.FromMinutes(5));
        var second = Clock.GetUtcNow();
        await CommitAsync(delivery, Event("e3", sinks: ["s", "t"]), Event("e4", sinks: "t"), Event("e5", sinks: "u"));

        Assert.Equal(
            [
                new SinkBacklog("s", 3, 0, 0) { OldestPendingSince = first },
                new SinkBacklog("t", 2, 0, 0) { OldestPendingSince = second },
                new SinkBacklog("u", 1, 0, 0) { OldestPendingSince = second },
            ],
            await Work.GetBacklogAsync(Ct));

        // s: two failures (the later dead-letters e2), then e1 succeeds on its second attempt; e3 is still pending.
        var now = Later;
        var s = (await Work.ClaimDueAsync("s", 2, now, Lease, Ct)).ToDictionary(i => i.EventId);
        var sLastFailure = new SinkAttempt("e2", "s", 1, now.AddSeconds(1), TimeSpan.FromMilliseconds(9), false, null, "timeout", null);
        await Work.RecordAttemptsAsync(
            [new(s["e1"], new SinkAttempt("e1", "s", 1, now, TimeSpan.FromMilliseconds(4), false, 500, "HTTP 500", "oops"), now.AddSeconds(2)), new(s["e2"], sLastFailure, null)],
            Ct);
        // e3 has been due longer than e1's retry, so it is claimed too; it stays pending.
        var e1 = (await Work.ClaimDueAsync("s", 2, now.AddSeconds(2), Lease, Ct)).Single(i => i.EventId == "e1");
        await Work.RecordAttemptsAsync([new(e1, Success(e1, 2, now.AddSeconds(2)), null)], Ct);

        // t: a success, then a later failure that will be retried.
        var t = (await Work.ClaimDueAsync("t", 10, now, Lease, Ct)).ToDictionary(i => i.EventId);
        var tLastFailure = new SinkAttempt("e4", "t", 1, now.AddSeconds(3), TimeSpan.FromMilliseconds(6), false, 502, "HTTP 502", "bad gateway");
        await Work.RecordAttemptsAsync([new(t["e3"], Success(t["e3"], 1, now), null), new(t["e4"], tLastFailure, now.AddHours(1))], Ct);

        // u: everything delivered, so nothing is pending.
        var u = Assert.Single(await Work.ClaimDueAsync("u", 10, now, Lease, Ct));
        await Work.RecordAttemptsAsync([new(u, Success(u, 1, now.AddSeconds(4)), null)], Ct);

        Assert.Equal(
            [
                new SinkBacklog("s", 1, 1, 1) { OldestPendingSince = second, LastAttemptAt = now.AddSeconds(2), LastSuccessAt = now.AddSeconds(2), LastFailure = sLastFailure },
                new SinkBacklog("t", 1, 0, 1) { OldestPendingSince = second, LastAttemptAt = now.AddSeconds(3), LastSuccessAt = now, LastFailure = tLastFailure },
                new SinkBacklog("u", 0, 0, 1) { LastAttemptAt = now.AddSeconds(4), LastSuccessAt = now.AddSeconds(4) },
            ],
            await Work.GetBacklogAsync(Ct));
    }

    [Fact]
    public async Task A_claim_under_a_limit_takes_what_has_been_due_longest_so_a_retry_waits_its_turn()
    {
        var delivery = await DeliveryAsync();
        var stored = Clock.GetUtcNow();
        await CommitAsync(delivery, Event("e1", sinks: "s"), Event("e2", sinks: "s"));
        var e1 = (await Work.ClaimDueAsync("s", 10, stored, Lease, Ct)).Single(i => i.EventId == "e1");
        await Work.RecordAttemptsAsync([new(e1, new SinkAttempt("e1", "s", 1, stored, TimeSpan.Zero, false, 500, "HTTP 500", null), stored.AddMinutes(5))], Ct);
        Clock.Advance(TimeSpan.FromMinutes(2));
        await CommitAsync(delivery, Event("e3", sinks: "s"));

        // By then e2's lease from the first claim has run out: e2 has been due since it was stored, e3 since two
        // minutes later, e1's retry only since five minutes later, though e1 is the oldest event.
        var claimed = await Work.ClaimDueAsync("s", 2, stored.AddMinutes(6), Lease, Ct);

        Assert.Equal(["e2", "e3"], claimed.Select(i => i.EventId).Order());
    }

    private static SinkAttempt Success(SinkWorkItem item, int number, DateTimeOffset at) =>
        new(item.EventId, item.Sink, number, at, TimeSpan.FromMilliseconds(3), true, 200, null, "OK");

    private static SinkAttempt Failure(SinkWorkItem item, int number, DateTimeOffset at, string error) =>
        new(item.EventId, item.Sink, number, at, TimeSpan.FromMilliseconds(3), false, null, error, null);
}
