using System.Text;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// What every store must do for the admin surface and the CLI: every event filter, counting, keyset paging that stays
/// put while events arrive, following, attempts by query, retrying one pair, pausing a sink, and the audit log.
/// </summary>
public abstract class AdminStoreContract : StoreContract<IWabaHooksStore>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_767_261_601);

    /// <summary>The store's clock: a derived class hands it to the store it creates.</summary>
    protected FakeTimeProvider Clock { get; } = new(T0);

    private IAdminStore Admin => (IAdminStore)Store;

    private DateTimeOffset Now => Clock.GetUtcNow();

    private async Task<long> DeliveryAsync() =>
        (await Store.AppendAsync([new InboundDelivery("{}"u8.ToArray(), T0, "app", DeliveryFlags.None)], Ct))[0];

    private static NewEvent Event(string id, string type = "messages.text", string field = "messages", string waba = "waba-1", string? phone = "phone-1",
        string json = "", bool test = false, params string[] sinks) =>
        new(id, type, field, waba, phone, T0, 0, Encoding.UTF8.GetBytes(json.Length > 0 ? json : $"{{\"id\":\"{id}\"}}"), null, sinks, test);

    private async Task<long> CommitAsync(params NewEvent[] events)
    {
        var delivery = await DeliveryAsync();
        await Store.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, null, events)]), Ct);
        return delivery;
    }

    /// <summary>Records one attempt of the pair, as a dispatcher would after claiming it; <paramref name="dead"/> ends its retries.</summary>
    private async Task AttemptAsync(string eventId, string sink, bool succeeded, int? status = null, bool dead = false)
    {
        var item = (await Admin.ListSinkWorkAsync([eventId], Ct)).Single(w => w.Sink == sink);
        await Store.RecordAttemptAsync(item, new SinkAttempt(eventId, sink, item.Attempts + 1, Now, TimeSpan.FromMilliseconds(12), succeeded, status, succeeded ? null : "HTTP " + status, null),
            succeeded || dead ? null : Now.AddMinutes(1), Ct);
    }

    private async Task<string[]> IdsAsync(EventQuery query) => [.. (await Store.ListEventsAsync(query, Ct)).Select(e => e.Id)];

    [Fact]
    public async Task Each_event_filter_selects_only_its_events_and_the_count_agrees()
    {
        await CommitAsync(
            Event("a", type: "messages.text", waba: "w1", phone: "p1", sinks: ["crm"]),
            Event("b", type: "statuses.read", waba: "w1", phone: "p2", sinks: ["crm", "bi"]),
            Event("c", type: "statuses.delivered", waba: "w2", phone: "p2", sinks: ["bi"]),
            Event("d", type: "account_update", field: "account_update", waba: "w2", phone: null),
            Event("e", type: "messages.text", waba: "w1", phone: "p1", test: true, sinks: ["crm"]));

        async Task Check(EventQuery query, params string[] expected)
        {
            Assert.Equal(expected, await IdsAsync(query));
            Assert.Equal(expected.Length, await Admin.CountEventsAsync(query with { Limit = 1 }, Ct));
        }

        await Check(new EventQuery { Field = "account_update" }, "d");
        await Check(new EventQuery { Type = "statuses.*" }, "c", "b");
        await Check(new EventQuery { Type = "messages.text" }, "e", "a");
        await Check(new EventQuery { WabaId = "w2" }, "d", "c");
        await Check(new EventQuery { PhoneNumberId = "p2" }, "c", "b");
        await Check(new EventQuery { Destination = "crm" }, "e", "b", "a");
        await Check(new EventQuery { Destination = "bi", Type = "statuses.*" }, "c", "b");
        await Check(new EventQuery { Unrouted = true }, "d");
        await Check(new EventQuery { Unrouted = false, Test = false }, "c", "b", "a");
        await Check(new EventQuery { Test = true }, "e");
    }

    [Fact]
    public async Task The_outcome_and_HTTP_status_filters_follow_each_pair_state_and_attempt()
    {
        await CommitAsync(
            Event("delivered", sinks: ["crm"]),
            Event("failing", sinks: ["crm"]),
            Event("dead", sinks: ["crm", "bi"]),
            Event("waiting", sinks: ["crm"]));
        await AttemptAsync("delivered", "crm", succeeded: true, status: 200);
        await AttemptAsync("failing", "crm", succeeded: false, status: 503);
        await AttemptAsync("dead", "crm", succeeded: false, status: 500, dead: true);
        await AttemptAsync("dead", "bi", succeeded: true, status: 200);

        Assert.Equal(["delivered"], await IdsAsync(new EventQuery { Destination = "crm", Outcome = EventOutcome.Delivered }));
        Assert.Equal(["dead", "delivered"], await IdsAsync(new EventQuery { Outcome = EventOutcome.Delivered }));
        Assert.Equal(["waiting", "failing"], await IdsAsync(new EventQuery { Destination = "crm", Outcome = EventOutcome.Pending }));
        Assert.Equal(["dead", "failing"], await IdsAsync(new EventQuery { Destination = "crm", Outcome = EventOutcome.Failed }));
        Assert.Equal(["dead"], await IdsAsync(new EventQuery { Outcome = EventOutcome.Dead }));
        Assert.Empty(await IdsAsync(new EventQuery { Destination = "bi", Outcome = EventOutcome.Dead }));
        Assert.Equal(["failing"], await IdsAsync(new EventQuery { HttpStatus = 503 }));
        Assert.Equal(["dead", "delivered"], await IdsAsync(new EventQuery { HttpStatus = 200 }));
        Assert.Equal(["delivered"], await IdsAsync(new EventQuery { HttpStatus = 200, Destination = "crm" }));
        Assert.Equal(2, await Admin.CountEventsAsync(new EventQuery { Destination = "crm", Outcome = EventOutcome.Failed }, Ct));
    }

    [Fact]
    public async Task Search_finds_an_event_by_id_by_a_wamid_or_phrase_in_its_payload_and_by_its_delivery_id()
    {
        var first = await CommitAsync(Event("msg:1", json: """{"id":"wamid.HBgLMTIzNDU2Nzg5MBUCABIYFjNFQjA","text":{"body":"Where is my order?"}}"""));
        var second = await CommitAsync(Event("status:2", json: """{"id":"wamid.OTHER","status":"read","recipient_id":"15551234567"}"""));
        Assert.True(second > first);

        Assert.Equal(["msg:1"], await IdsAsync(new EventQuery { Search = "msg:1" }));
        Assert.Equal(["msg:1"], await IdsAsync(new EventQuery { Search = "wamid.HBgLMTIzNDU2Nzg5MBUCABIYFjNFQjA" }));
        Assert.Equal(["msg:1"], await IdsAsync(new EventQuery { Search = "my order" }));
        Assert.Equal(["status:2"], await IdsAsync(new EventQuery { Search = "15551234567" }));
        // A number is a delivery id as well as a phrase: the delivery's events are among what it finds.
        Assert.Contains("status:2", await IdsAsync(new EventQuery { Search = second.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.Empty(await IdsAsync(new EventQuery { Search = "nowhere to be found" }));
        Assert.Empty(await IdsAsync(new EventQuery { Search = "100%_" })); // No wildcard: % and _ are plain bytes.
    }

    [Fact]
    public async Task Event_ids_select_only_those_events_with_the_other_filters_and_none_for_an_empty_list()
    {
        await CommitAsync(Event("msg:a"));
        await CommitAsync(Event("msg:b"));
        await CommitAsync(Event("msg:c"));

        Assert.Equal(["msg:c", "msg:a"], await IdsAsync(new EventQuery { EventIds = ["msg:a", "msg:c", "msg:unknown"] }));
        Assert.Equal(["msg:a"], await IdsAsync(new EventQuery { EventIds = ["msg:a", "msg:c"], Search = "msg:a" }));
        Assert.Empty(await IdsAsync(new EventQuery { EventIds = [] }));
    }

    [Fact]
    public async Task Since_and_until_select_by_stored_time()
    {
        await CommitAsync(Event("early"));
        Clock.Advance(TimeSpan.FromMinutes(10));
        await CommitAsync(Event("middle"));
        Clock.Advance(TimeSpan.FromMinutes(10));
        await CommitAsync(Event("late"));

        Assert.Equal(["late", "middle"], await IdsAsync(new EventQuery { Since = T0.AddMinutes(5) }));
        Assert.Equal(["middle"], await IdsAsync(new EventQuery { Since = T0.AddMinutes(5), Until = T0.AddMinutes(15) }));
    }

    [Fact]
    public async Task A_cursor_page_stays_the_same_while_new_events_arrive()
    {
        for (var i = 1; i <= 6; i++)
        {
            await CommitAsync(Event($"e{i}"));
        }

        var first = await Store.ListEventsAsync(new EventQuery { Limit = 2 }, Ct);
        Assert.Equal(["e6", "e5"], first.Select(e => e.Id));
        for (var i = 7; i <= 9; i++)
        {
            await CommitAsync(Event($"e{i}"));
        }

        var second = await IdsAsync(new EventQuery { Limit = 2, BeforeSequence = first[^1].Sequence });
        var rest = await IdsAsync(new EventQuery { Limit = 10, BeforeSequence = (await Store.ListEventsAsync(new EventQuery { Limit = 2, BeforeSequence = first[^1].Sequence }, Ct))[^1].Sequence });

        Assert.Equal(["e4", "e3"], second);
        Assert.Equal(["e2", "e1"], rest);
    }

    [Fact]
    public async Task Following_after_a_sequence_reads_oldest_first_and_misses_nothing()
    {
        await CommitAsync(Event("old"));
        var start = (await Store.ListEventsAsync(new EventQuery { Limit = 1 }, Ct))[0].Sequence;
        await CommitAsync(Event("n1"), Event("n2"));
        await CommitAsync(Event("n3", type: "statuses.read"));

        Assert.Equal(["n1", "n2"], await IdsAsync(new EventQuery { AfterSequence = start, Limit = 2 }));
        Assert.Equal(["n3"], await IdsAsync(new EventQuery { AfterSequence = start, Type = "statuses.*" }));
    }

    [Fact]
    public async Task Attempts_are_listed_newest_first_filtered_and_followed_by_sequence()
    {
        await CommitAsync(Event("a", sinks: ["crm", "bi"]), Event("b", sinks: ["crm"]));
        await AttemptAsync("a", "crm", succeeded: false, status: 500);
        await AttemptAsync("a", "bi", succeeded: true, status: 200);
        await AttemptAsync("b", "crm", succeeded: true, status: 202);

        var all = await Admin.QueryAttemptsAsync(new AttemptQuery(), Ct);
        Assert.Equal([("b", "crm"), ("a", "bi"), ("a", "crm")], all.Select(a => (a.Attempt.EventId, a.Attempt.Sink)));
        Assert.Equal([500], (await Admin.QueryAttemptsAsync(new AttemptQuery { Succeeded = false }, Ct)).Select(a => a.Attempt.StatusCode));
        Assert.Equal(["a"], (await Admin.QueryAttemptsAsync(new AttemptQuery { Sink = "bi" }, Ct)).Select(a => a.Attempt.EventId));
        Assert.Equal([202], (await Admin.QueryAttemptsAsync(new AttemptQuery { StatusCode = 202 }, Ct)).Select(a => a.Attempt.StatusCode));
        Assert.Equal(["crm"], (await Admin.QueryAttemptsAsync(new AttemptQuery { EventId = "a", Succeeded = false }, Ct)).Select(a => a.Attempt.Sink));
        Assert.Equal([("a", "bi"), ("b", "crm")], (await Admin.QueryAttemptsAsync(new AttemptQuery { AfterSequence = all[^1].Sequence }, Ct)).Select(a => (a.Attempt.EventId, a.Attempt.Sink)));
        Assert.Equal([("a", "bi")], (await Admin.QueryAttemptsAsync(new AttemptQuery { BeforeSequence = all[0].Sequence, Limit = 1 }, Ct)).Select(a => (a.Attempt.EventId, a.Attempt.Sink)));
    }

    [Fact]
    public async Task Dead_letter_pages_neither_repeat_nor_skip_while_new_dead_letters_arrive_or_one_is_retried()
    {
        await CommitAsync(Event("e1", sinks: ["crm", "bi", "ops"]), Event("e2", sinks: ["crm"]), Event("e3", sinks: ["crm"]), Event("e4", sinks: ["crm", "bi"]));
        // Three die at one time and three a minute later: the ties are ordered by event, then sink.
        await AttemptAsync("e1", "bi", succeeded: false, status: 500, dead: true);
        await AttemptAsync("e1", "crm", succeeded: false, status: 500, dead: true);
        await AttemptAsync("e2", "crm", succeeded: false, status: 500, dead: true);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await AttemptAsync("e4", "bi", succeeded: false, status: 500, dead: true);
        await AttemptAsync("e3", "crm", succeeded: false, status: 500, dead: true);
        await AttemptAsync("e4", "crm", succeeded: false, status: 500, dead: true);

        async Task<IReadOnlyList<StoredDeadLetter>> PageAsync(DeadLetterPosition? before, string? sink = null) =>
            await Admin.QueryDeadLettersAsync(new DeadLetterQuery { Sink = sink, Before = before, Limit = 2 }, Ct);
        static (string, string)[] Pairs(IEnumerable<StoredDeadLetter> page) => [.. page.Select(d => (d.Item.EventId, d.Item.Sink))];

        var first = await PageAsync(null);
        // Meanwhile: an older event dies now at ops, a newer one at bi, and a pair on a later page is retried.
        Clock.Advance(TimeSpan.FromMinutes(1));
        await CommitAsync(Event("e5", sinks: ["bi"]));
        await AttemptAsync("e5", "bi", succeeded: false, status: 503, dead: true);
        await AttemptAsync("e1", "ops", succeeded: false, status: 500, dead: true);
        Assert.Equal(1, await Admin.RetryAsync(["e2"], "crm", Now, Ct));
        var second = await PageAsync(first[^1].Position);
        var third = await PageAsync(second[^1].Position);
        var last = await PageAsync(third[^1].Position);

        Assert.Equal([("e4", "crm"), ("e4", "bi")], Pairs(first));
        Assert.Equal(T0.AddMinutes(1), first[0].DeadAt);
        Assert.Equal(SinkWorkState.Dead, first[0].Item.State);
        Assert.Equal([("e3", "crm"), ("e1", "crm")], Pairs(second));
        Assert.Equal([("e1", "bi")], Pairs(third));
        Assert.Empty(last);
        Assert.Equal([("e5", "bi"), ("e1", "ops")], Pairs(await PageAsync(null)));
        Assert.Equal([("e5", "bi"), ("e4", "bi"), ("e1", "bi")], Pairs(await Admin.QueryDeadLettersAsync(new DeadLetterQuery { Sink = "bi" }, Ct)));
    }

    [Fact]
    public async Task Sink_work_of_events_is_listed_with_each_pair_state()
    {
        await CommitAsync(Event("a", sinks: ["crm", "bi"]), Event("b", sinks: ["crm"]), Event("c"));
        await AttemptAsync("a", "crm", succeeded: true, status: 200);

        var work = await Admin.ListSinkWorkAsync(["a", "b", "c"], Ct);

        Assert.Equal([("a", "bi", SinkWorkState.Pending), ("a", "crm", SinkWorkState.Done), ("b", "crm", SinkWorkState.Pending)], work.Select(w => (w.EventId, w.Sink, w.State)));
    }

    [Fact]
    public async Task A_retry_makes_dead_and_failing_pairs_due_now_and_leaves_delivered_ones()
    {
        await CommitAsync(Event("dead", sinks: ["crm"]), Event("failing", sinks: ["crm"]), Event("delivered", sinks: ["crm"]));
        await AttemptAsync("dead", "crm", succeeded: false, status: 500, dead: true);
        await AttemptAsync("failing", "crm", succeeded: false, status: 503);
        await AttemptAsync("delivered", "crm", succeeded: true, status: 200);

        var retried = await Admin.RetryAsync(["dead", "failing", "delivered", "unknown"], "crm", Now, Ct);

        Assert.Equal(2, retried);
        var due = await Store.ClaimDueAsync("crm", 10, Now, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(["dead", "failing"], due.Select(w => w.EventId).Order());
        Assert.All(due, w => Assert.Equal(0, w.Attempts));
        Assert.Equal(SinkWorkState.Done, (await Admin.ListSinkWorkAsync(["delivered"], Ct)).Single().State);
    }

    [Fact]
    public async Task A_paused_sink_has_nothing_claimed_until_it_is_resumed()
    {
        await CommitAsync(Event("a", sinks: ["crm", "bi"]));

        Assert.True(await Admin.SetSinkPausedAsync("crm", true, Now, Ct));
        Assert.False(await Admin.SetSinkPausedAsync("crm", true, Now, Ct));

        Assert.Equal([new PausedSink("crm", Now)], await Admin.ListPausedSinksAsync(Ct));
        Assert.Empty(await Store.ClaimDueAsync("crm", 10, Now.AddHours(1), TimeSpan.FromMinutes(1), Ct));
        Assert.Single(await Store.ClaimDueAsync("bi", 10, Now.AddHours(1), TimeSpan.FromMinutes(1), Ct));

        Assert.True(await Admin.SetSinkPausedAsync("crm", false, Now, Ct));
        Assert.False(await Admin.SetSinkPausedAsync("crm", false, Now, Ct));
        Assert.Empty(await Admin.ListPausedSinksAsync(Ct));
        Assert.Single(await Store.ClaimDueAsync("crm", 10, Now.AddHours(1), TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task The_audit_log_keeps_each_entry_and_pages_newest_first()
    {
        var first = await Admin.AppendAuditAsync(new AuditEntry(0, Now, "operator@127.0.0.1", "pause", "crm", 1, null), Ct);
        var second = await Admin.AppendAuditAsync(new AuditEntry(0, Now.AddSeconds(1), "operator@127.0.0.1", "bulk-retry", "crm", 42, "filter outcome=failed"), Ct);
        var third = await Admin.AppendAuditAsync(new AuditEntry(0, Now.AddSeconds(2), "viewer@::1", "resume", "crm", 0, "was not paused"), Ct);

        Assert.True(first < second && second < third);
        var page = await Admin.ListAuditAsync(2, null, Ct);
        Assert.Equal([third, second], page.Select(e => e.Id));
        Assert.Equal(new AuditEntry(second, Now.AddSeconds(1), "operator@127.0.0.1", "bulk-retry", "crm", 42, "filter outcome=failed"), page[1]);
        Assert.Equal([first], (await Admin.ListAuditAsync(2, second, Ct)).Select(e => e.Id));
    }
}
