using System.Text;
using Microsoft.Extensions.Time.Testing;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// What every store's retention must do and never do: remove what is past its cutoff, a batch at a time, and keep
/// unprocessed deliveries, events with pending or dead-lettered work, and the keys Meta may still redeliver. SQLite and
/// PostgreSQL derive from it, so both prune the same rows.
/// </summary>
public abstract class RetentionContract : IAsyncLifetime
{
    private object? _store;

    /// <summary>The store's clock: a derived class must hand it to the store it creates.</summary>
    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>A fresh, empty store implementing the store interfaces and <see cref="IRetentionStore"/>, on <see cref="Clock"/>.</summary>
    protected abstract Task<object> CreateStoreAsync();

    private IRetentionStore Retention => (IRetentionStore)(_store ?? throw new InvalidOperationException("Not initialised."));

    private IEventStore Events => (IEventStore)Retention;

    private ISinkWorkStore Work => (ISinkWorkStore)Retention;

    private IDeliveryStore Inbox => (IDeliveryStore)Retention;

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

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Everything stored before <paramref name="cut"/> may go; keys stored at or after <paramref name="horizon"/> stay.</summary>
    private static RetentionCutoffs Cutoffs(DateTimeOffset cut, DateTimeOffset? horizon = null, DateTimeOffset? deadLetters = null) =>
        new(cut, cut, cut, deadLetters ?? cut, horizon ?? cut);

    private async Task<long> DeliveryAsync() =>
        (await Inbox.AppendAsync([new InboundDelivery("{}"u8.ToArray(), Clock.GetUtcNow(), "app", DeliveryFlags.None)], Ct))[0];

    private static NewEvent Event(string id, params string[] sinks) =>
        new(id, "messages.text", "messages", "waba-1", "phone-1", T0, 0, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"), null, sinks);

    /// <summary>A delivery stored and processed now, with its events.</summary>
    private async Task<long> ProcessedAsync(params NewEvent[] events)
    {
        var delivery = await DeliveryAsync();
        await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(delivery, null, events)]), Ct);
        return delivery;
    }

    /// <summary>Claims the event's work for <paramref name="sink"/> and records one attempt: delivered, or dead-lettered.</summary>
    private async Task AttemptAsync(string sink, bool succeeded)
    {
        var now = Clock.GetUtcNow();
        var item = Assert.Single(await Work.ClaimDueAsync(sink, 10, now, TimeSpan.FromMinutes(1), Ct));
        await Work.RecordAttemptAsync(item, new SinkAttempt(item.EventId, sink, 1, now, TimeSpan.FromMilliseconds(5), succeeded, succeeded ? 200 : 500, succeeded ? null : "HTTP 500", null), null, Ct);
    }

    private async Task<PruneCounts> PruneAllAsync(RetentionCutoffs cutoffs, int batchSize = 100)
    {
        var total = PruneCounts.None;
        PruneCounts batch;
        do
        {
            batch = await Retention.PruneBatchAsync(cutoffs, batchSize, Ct);
            total += batch;
        }
        while (batch.Largest >= batchSize);

        return total;
    }

    [Fact]
    public async Task Prune_removes_processed_deliveries_and_delivered_events_older_than_the_cutoff_and_keeps_newer_ones()
    {
        var old = await ProcessedAsync(Event("msg:old", "s1"));
        await AttemptAsync("s1", succeeded: true);
        Clock.Advance(Day);
        var cut = Clock.GetUtcNow();
        Clock.Advance(Day);
        var recent = await ProcessedAsync(Event("msg:recent"));

        var removed = await PruneAllAsync(Cutoffs(cut));

        Assert.Equal(new PruneCounts(1, 1, 1, 0, 0), removed);
        Assert.Null(await Inbox.GetAsync(old, Ct));
        Assert.Null(await Events.GetEventAsync("msg:old", Ct));
        Assert.Empty(await Work.ListAttemptsAsync("msg:old", null, Ct));
        Assert.NotNull(await Inbox.GetAsync(recent, Ct));
        Assert.NotNull(await Events.GetEventAsync("msg:recent", Ct));
        Assert.DoesNotContain(await Work.GetBacklogAsync(Ct), b => b.Done > 0);
    }

    [Fact]
    public async Task Prune_never_removes_a_delivery_the_processor_has_not_committed()
    {
        var unprocessed = await DeliveryAsync();
        Clock.Advance(Day * 100);

        var removed = await PruneAllAsync(Cutoffs(Clock.GetUtcNow()));

        Assert.Equal(0, removed.Deliveries);
        Assert.Equal(unprocessed, Assert.Single(await Inbox.ReadUnprocessedAsync(10, Ct)).Summary.Id);
    }

    [Fact]
    public async Task Prune_keeps_an_event_with_pending_work_and_its_delivery_however_old()
    {
        var delivery = await ProcessedAsync(Event("msg:pending", "s1"));
        Clock.Advance(Day * 100);

        var removed = await PruneAllAsync(Cutoffs(Clock.GetUtcNow()));

        Assert.Equal(PruneCounts.None, removed);
        Assert.NotNull(await Inbox.GetAsync(delivery, Ct));
        Assert.NotNull(await Events.GetEventAsync("msg:pending", Ct));
        Assert.Equal("msg:pending", Assert.Single(await Work.ClaimDueAsync("s1", 10, Clock.GetUtcNow(), TimeSpan.FromMinutes(1), Ct)).EventId);
    }

    [Fact]
    public async Task A_dead_letter_and_its_event_stay_until_the_dead_letter_cutoff_and_then_go_together()
    {
        var delivery = await ProcessedAsync(Event("msg:dead", "s1"));
        await AttemptAsync("s1", succeeded: false);
        Clock.Advance(Day * 40);
        var eventsCut = Clock.GetUtcNow();

        // Past the events' cutoff, inside the dead letters' (the defaults: 30 and 90 days).
        var kept = await PruneAllAsync(Cutoffs(eventsCut, deadLetters: eventsCut - Day * 50));

        Assert.Equal(PruneCounts.None, kept);
        Assert.Single(await Work.ListDeadLettersAsync("s1", 10, Ct));
        Assert.Single(await Work.ListAttemptsAsync("msg:dead", "s1", Ct));

        var removed = await PruneAllAsync(Cutoffs(eventsCut, deadLetters: eventsCut));

        Assert.Equal(new PruneCounts(1, 1, 0, 1, 0), removed);
        Assert.Empty(await Work.ListDeadLettersAsync("s1", 10, Ct));
        Assert.Empty(await Work.ListAttemptsAsync("msg:dead", "s1", Ct));
        Assert.Null(await Events.GetEventAsync("msg:dead", Ct));
        Assert.Null(await Inbox.GetAsync(delivery, Ct));
    }

    [Fact]
    public async Task Attempts_past_their_cutoff_go_for_delivered_work_and_stay_for_pending_work()
    {
        await ProcessedAsync(Event("msg:a", "done", "retrying"));
        var now = Clock.GetUtcNow();
        await AttemptAsync("done", succeeded: true);
        var retrying = Assert.Single(await Work.ClaimDueAsync("retrying", 10, now, TimeSpan.FromMinutes(1), Ct));
        await Work.RecordAttemptAsync(retrying, new SinkAttempt("msg:a", "retrying", 1, now, TimeSpan.Zero, false, 503, "HTTP 503", null), now.AddDays(10), Ct);
        Clock.Advance(Day * 2);
        var attemptsOnly = new RetentionCutoffs(T0 - Day, T0 - Day, Clock.GetUtcNow(), T0 - Day, T0 - Day);

        var removed = await PruneAllAsync(attemptsOnly);

        Assert.Equal(new PruneCounts(0, 0, 1, 0, 0), removed);
        Assert.Empty(await Work.ListAttemptsAsync("msg:a", "done", Ct));
        Assert.Single(await Work.ListAttemptsAsync("msg:a", "retrying", Ct));
    }

    [Fact]
    public async Task A_late_redelivery_of_an_event_removed_inside_the_redelivery_horizon_is_still_recognised_as_a_duplicate()
    {
        await ProcessedAsync(Event("msg:late"));
        Clock.Advance(TimeSpan.FromHours(1));

        // Events kept for minutes (as in a soak), Meta's horizon of 7 days: the body goes, the key stays.
        var removed = await PruneAllAsync(Cutoffs(Clock.GetUtcNow(), horizon: Clock.GetUtcNow() - Day * 7));
        Assert.Equal(1, removed.Events);
        Assert.Null(await Events.GetEventAsync("msg:late", Ct));

        Clock.Advance(Day * 3);
        var redelivery = await DeliveryAsync();
        var result = await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(redelivery, null, [Event("msg:late", "s1")])]), Ct);

        Assert.Equal(new ProcessingResult(0, 1), result);
        Assert.Null(await Events.GetEventAsync("msg:late", Ct));
        Assert.Empty(await Work.ClaimDueAsync("s1", 10, Clock.GetUtcNow(), TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task A_kept_key_goes_once_it_passes_the_redelivery_horizon()
    {
        await ProcessedAsync(Event("msg:key"));
        Clock.Advance(TimeSpan.FromHours(1));
        await PruneAllAsync(Cutoffs(Clock.GetUtcNow(), horizon: Clock.GetUtcNow() - Day * 7));
        Clock.Advance(Day * 8);

        var removed = await PruneAllAsync(Cutoffs(Clock.GetUtcNow() - Day, horizon: Clock.GetUtcNow() - Day * 7));

        Assert.Equal(1, removed.DedupeKeys);
        var again = await DeliveryAsync();
        var result = await Events.CommitProcessedAsync(new ProcessedBatch([new ProcessedDelivery(again, null, [Event("msg:key")])]), Ct);
        Assert.Equal(new ProcessingResult(1, 0), result);
    }

    [Fact]
    public async Task An_event_removed_after_the_horizon_leaves_no_key_behind()
    {
        await ProcessedAsync(Event("msg:old"));
        Clock.Advance(Day * 31);

        var removed = await PruneAllAsync(Cutoffs(Clock.GetUtcNow() - Day * 30, horizon: Clock.GetUtcNow() - Day * 7));
        var later = await PruneAllAsync(Cutoffs(Clock.GetUtcNow() - Day * 30, horizon: Clock.GetUtcNow()));

        Assert.Equal(1, removed.Events);
        Assert.Equal(0, later.DedupeKeys);
    }

    [Fact]
    public async Task A_batch_removes_at_most_its_size_from_each_table()
    {
        for (var i = 0; i < 5; i++)
        {
            await ProcessedAsync(Event($"msg:{i}"));
        }

        Clock.Advance(Day);
        var cutoffs = Cutoffs(Clock.GetUtcNow());

        var first = await Retention.PruneBatchAsync(cutoffs, 2, Ct);
        var all = await PruneAllAsync(cutoffs, batchSize: 2);

        Assert.Equal(new PruneCounts(2, 2, 0, 0, 0), first);
        Assert.Equal(new PruneCounts(3, 3, 0, 0, 0), all);
        Assert.Empty(await Events.ListEventsAsync(new EventQuery(), Ct));
    }

    [Fact]
    public async Task A_dry_run_counts_what_a_prune_removes_and_removes_nothing()
    {
        await ProcessedAsync(Event("msg:a", "s1"), Event("msg:b"));
        await AttemptAsync("s1", succeeded: false);
        await ProcessedAsync(Event("msg:c"));
        var unprocessed = await DeliveryAsync();
        Clock.Advance(Day * 100);
        var cutoffs = Cutoffs(Clock.GetUtcNow());

        var counted = await Retention.CountPrunableAsync(cutoffs, Ct);
        Assert.Equal(3, (await Events.ListEventsAsync(new EventQuery(), Ct)).Count);
        var removed = await PruneAllAsync(cutoffs);

        Assert.Equal(counted, removed);
        Assert.Equal(new PruneCounts(2, 3, 0, 1, 0), removed);
        Assert.Equal(unprocessed, Assert.Single(await Inbox.ReadUnprocessedAsync(10, Ct)).Summary.Id);
    }

    [Fact]
    public async Task The_audit_log_is_pruned_at_its_own_cutoff_oldest_first_and_kept_without_one()
    {
        var admin = (IAdminStore)Retention;
        await admin.AppendAuditAsync(new AuditEntry(0, Clock.GetUtcNow(), "operator@127.0.0.1", "retry", "destination:crm", 1, null), Ct);
        await admin.AppendAuditAsync(new AuditEntry(0, Clock.GetUtcNow(), "operator@127.0.0.1", "replay", "destination:crm", 40, null), Ct);
        Clock.Advance(Day * 10);
        await admin.AppendAuditAsync(new AuditEntry(0, Clock.GetUtcNow(), "viewer@127.0.0.1", "pause", "destination:crm", 1, null), Ct);
        var now = Clock.GetUtcNow();

        var kept = await PruneAllAsync(Cutoffs(now - Day * 20));
        Assert.Equal(0, kept.AuditLog);
        Assert.Equal(3, (await admin.ListAuditAsync(10, null, Ct)).Count);

        var cutoffs = Cutoffs(now - Day * 20) with { AuditLog = now - Day * 5 };
        Assert.Equal(2, (await Retention.CountPrunableAsync(cutoffs, Ct)).AuditLog);
        var first = await Retention.PruneBatchAsync(cutoffs, 1, Ct);
        var removed = await PruneAllAsync(cutoffs, batchSize: 1);

        Assert.Equal(1, first.AuditLog);
        Assert.Equal(1, removed.AuditLog);
        Assert.Equal("pause", Assert.Single(await admin.ListAuditAsync(10, null, Ct)).Action);
    }

    [Fact]
    public async Task The_oldest_processed_delivery_is_where_a_size_cap_starts()
    {
        Assert.Null(await Retention.GetOldestProcessedAsync(Ct));
        await DeliveryAsync();
        await ProcessedAsync(Event("msg:a"));

        Assert.Equal(Clock.GetUtcNow(), await Retention.GetOldestProcessedAsync(Ct));
    }
}
