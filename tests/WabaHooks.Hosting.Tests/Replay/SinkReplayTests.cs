using WabaHooks.Hosting.Replay;
using WabaHooks.Hosting.Tests.Support;
using WabaHooks.Sinks;
using WabaHooks.Storage;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Replay;

/// <summary>
/// <see cref="SinkReplay"/> on a real SQLite file: which stored events it selects, that it pages through all of them,
/// and what it schedules — read back from the store's sink work.
/// </summary>
public sealed class SinkReplayTests : IAsyncLifetime
{
    private static readonly SinkRegistration Messages = new("destination:crm", new EventFilter { Types = ["messages.*"] });
    private static readonly SinkRegistration Everything = new("destination:archive", EventFilter.All);

    private readonly TempDirectory _dir = new();
    private ProcessedStore _store = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _store = await ProcessedStore.OpenAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private SinkReplay Replay(int pageSize = 1000, int chunkSize = 500) =>
        new(_store.Store, _store.Store, _store.Time) { PageSize = pageSize, ChunkSize = chunkSize };

    [Fact]
    public async Task Replaying_one_event_schedules_it_again_even_after_it_was_delivered()
    {
        var text = Assert.Single(await _store.ReceiveAsync([Messages], ExamplePayloads.Read("messages-text.json")));
        await DeliverAllAsync(Messages.Name);

        var result = await Replay().ReplayEventAsync(text, Messages, Ct);

        Assert.Equal(EventReplayStatus.Queued, result.Status);
        Assert.Equal(text, result.Event?.Id);
        var backlog = await _store.BacklogAsync(Messages.Name);
        Assert.Equal((1L, 0L), (backlog.Pending, backlog.Done));
    }

    [Fact]
    public async Task An_event_the_sinks_filter_does_not_select_or_an_unknown_id_is_not_scheduled()
    {
        var status = Assert.Single(await _store.ReceiveAsync(ExamplePayloads.Read("messages-status-delivered.json")));

        var notSelected = await Replay().ReplayEventAsync(status, Messages, Ct);
        var notFound = await Replay().ReplayEventAsync("msg:wamid.nothing-like-it", Messages, Ct);

        Assert.Equal(EventReplayStatus.NotSelected, notSelected.Status);
        Assert.Equal("statuses.delivered", notSelected.Event?.Type);
        Assert.Equal(new EventReplayResult(EventReplayStatus.NotFound, null), notFound);
        Assert.Equal(new SinkBacklog(Messages.Name, 0, 0, 0), await _store.BacklogAsync(Messages.Name));
    }

    [Fact]
    public async Task A_test_event_is_replayed_only_to_a_sink_that_includes_test_events()
    {
        var optedIn = new SinkRegistration("destination:sandbox", new EventFilter { IncludeTestEvents = true });
        var test = Assert.Single(await _store.ReceiveAsync([], WabaHooks.Inbox.DeliveryFlags.Test, ExamplePayloads.Read("messages-text.json")));

        var one = await Replay().ReplayEventAsync(test, Everything, Ct);
        var range = await Replay().ReplayRangeAsync(new ReplayRange(), Everything, Ct);
        var toSandbox = await Replay().ReplayEventAsync(test, optedIn, Ct);

        Assert.Equal(EventReplayStatus.NotSelected, one.Status);
        Assert.Equal(0, range.Queued);
        Assert.Equal(new SinkBacklog(Everything.Name, 0, 0, 0), await _store.BacklogAsync(Everything.Name));
        Assert.Equal(EventReplayStatus.Queued, toSandbox.Status);
        Assert.Equal(1L, (await _store.BacklogAsync(optedIn.Name)).Pending);
    }

    [Fact]
    public async Task A_range_pages_through_every_stored_event_and_schedules_those_the_filter_selects_oldest_first()
    {
        var ids = await _store.ReceiveAsync(
            ExamplePayloads.Read("messages-text.json"),
            ExamplePayloads.Read("messages-status-delivered.json"),
            ExamplePayloads.Read("messages-batched-mixed.json"),
            ExamplePayloads.Read("messages-image.json"),
            ExamplePayloads.Read("messages-text-forwarded.json"),
            ExamplePayloads.Read("account_update-disabled.json"));
        var all = await _store.Store.ListEventsAsync(new EventQuery { Limit = 100 }, Ct);
        var messages = all.Where(e => e.Type.StartsWith("messages.", StringComparison.Ordinal)).OrderBy(e => e.Sequence).Select(e => e.Id).ToList();
        Assert.Equal(ids.Count, all.Count);
        Assert.True(messages.Count >= 4 && all.Count - messages.Count >= 4, "both messages and other events, over several pages");
        var reported = new List<int>();
        var replay = Replay(pageSize: 2, chunkSize: 3);

        var selection = await replay.SelectAsync(new ReplayRange(), Messages, Ct);
        var queued = await replay.ScheduleAsync(selection, new Recorder(reported), Ct);

        Assert.Equal(messages, selection.EventIds);
        Assert.Equal(all.Count - messages.Count, selection.Skipped);
        Assert.Equal(messages.Count, queued);
        Assert.Equal(Enumerable.Range(1, messages.Count).Where(n => n % 3 == 0 || n == messages.Count), reported);
        Assert.Equal(messages.Count, (await _store.BacklogAsync(Messages.Name)).Pending);
        foreach (var other in all.Where(e => !messages.Contains(e.Id)))
        {
            Assert.Empty(await _store.Store.ListAttemptsAsync(other.Id, Messages.Name, Ct));
        }

        // Oldest first: the sink claims them in storage order.
        var claimed = await _store.Store.ClaimDueAsync(Messages.Name, 100, _store.Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(messages, claimed.Select(c => c.EventId));
    }

    [Fact]
    public async Task A_range_takes_only_events_stored_between_its_times_and_of_its_field_and_type()
    {
        var early = await _store.ReceiveAsync(ExamplePayloads.Read("messages-text.json"), ExamplePayloads.Read("account_update-disabled.json"));
        _store.Time.Advance(TimeSpan.FromHours(1));
        var middle = await _store.ReceiveAsync(ExamplePayloads.Read("messages-text-forwarded.json"), ExamplePayloads.Read("messages-image.json"));
        _store.Time.Advance(TimeSpan.FromHours(1));
        var late = await _store.ReceiveAsync(ExamplePayloads.Read("messages-status-read.json"));
        var now = _store.Time.GetUtcNow();

        var sinceMiddle = await Replay().SelectAsync(new ReplayRange { Since = now - TimeSpan.FromMinutes(90) }, Everything, Ct);
        var onlyMiddle = await Replay().SelectAsync(new ReplayRange { Since = now - TimeSpan.FromMinutes(90), Until = now - TimeSpan.FromMinutes(30) }, Everything, Ct);
        var texts = await Replay().SelectAsync(new ReplayRange { Type = "messages.text" }, Everything, Ct);
        var accountUpdates = await Replay().SelectAsync(new ReplayRange { Field = "account_update" }, Everything, Ct);

        Assert.Equal([.. middle, .. late], sinceMiddle.EventIds);
        Assert.Equal(middle, onlyMiddle.EventIds);
        Assert.Equal([early[0], middle[0]], texts.EventIds);
        Assert.Equal([early[1]], accountUpdates.EventIds);
        Assert.All([sinceMiddle, onlyMiddle, texts, accountUpdates], s => Assert.Equal(0, s.Skipped));
    }

    [Fact]
    public async Task Replaying_a_range_returns_what_it_queued_and_skipped()
    {
        await _store.ReceiveAsync(ExamplePayloads.Read("messages-batched-mixed.json"), ExamplePayloads.Read("messages-text.json"));

        var result = await Replay(pageSize: 1, chunkSize: 1).ReplayRangeAsync(new ReplayRange(), Messages, Ct);

        Assert.Equal(new ReplayResult(Queued: 2, Skipped: 2), result);
        Assert.Equal(2, (await _store.BacklogAsync(Messages.Name)).Pending);
    }

    [Fact]
    public async Task Retrying_dead_letters_makes_only_the_given_sinks_due_again_with_attempts_reset()
    {
        var ids = await _store.ReceiveAsync([Messages, Everything], ExamplePayloads.Read("messages-text.json"), ExamplePayloads.Read("messages-image.json"));
        await DeadLetterAllAsync(Messages.Name);
        await DeadLetterAllAsync(Everything.Name);

        var retried = await Replay().RetryDeadLettersAsync(Messages.Name, Ct);

        Assert.Equal(ids.Count, retried);
        var messages = await _store.BacklogAsync(Messages.Name);
        Assert.Equal((2L, 0L), (messages.Pending, messages.Dead));
        Assert.Equal(2, (await _store.BacklogAsync(Everything.Name)).Dead);
        var claimed = await _store.Store.ClaimDueAsync(Messages.Name, 10, _store.Time.GetUtcNow(), TimeSpan.FromMinutes(1), Ct);
        Assert.All(claimed, c => Assert.Equal(0, c.Attempts));
        Assert.Equal(2, await Replay().RetryDeadLettersAsync(null, Ct));
    }

    private async Task DeliverAllAsync(string sink) => await RecordAllAsync(sink, succeeded: true);

    private async Task DeadLetterAllAsync(string sink) => await RecordAllAsync(sink, succeeded: false);

    private async Task RecordAllAsync(string sink, bool succeeded)
    {
        var now = _store.Time.GetUtcNow();
        foreach (var item in await _store.Store.ClaimDueAsync(sink, 100, now, TimeSpan.FromMinutes(1), Ct))
        {
            var attempt = new SinkAttempt(item.EventId, sink, item.Attempts + 1, now, TimeSpan.Zero, succeeded, null, succeeded ? null : "refused", null);
            await ((ISinkWorkStore)_store.Store).RecordAttemptAsync(item, attempt, retryAt: null, Ct);
        }
    }

    /// <summary>Keeps every report, in order; called synchronously, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class Recorder(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
