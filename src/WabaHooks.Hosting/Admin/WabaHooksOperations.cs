using System.Globalization;
using System.Text;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Hosting.Replay;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Admin;

/// <summary>
/// What an operator may do — retry, replay, bulk retry/replay from a filter, pause and resume a destination — each
/// written to the audit log in the store (who, when, what, how many). Retry and replay stay distinct: a retry makes a
/// pair that was not delivered due again; a replay sends an event again by choice, whatever became of it, with its
/// original idempotency key. Both only schedule: the gateway's sink loops send.
/// </summary>
public sealed class WabaHooksOperations
{
    private readonly WabaHooksQueries _queries;
    private readonly BulkJobs _jobs;
    private readonly TimeProvider _time;
    private readonly SinkWorkSignal? _signal;
    private readonly DestinationTester? _tester;

    /// <summary>Creates the operations over the query layer's store.</summary>
    public WabaHooksOperations(WabaHooksQueries queries, BulkJobs jobs, TimeProvider time)
        : this(queries, jobs, time, null)
    {
    }

    /// <summary>In the gateway's process: retried and replayed work wakes the sink loops instead of waiting for their next poll.</summary>
    internal WabaHooksOperations(WabaHooksQueries queries, BulkJobs jobs, TimeProvider time, SinkWorkSignal? signal, DestinationTester? tester = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(time);
        _queries = queries;
        _jobs = jobs;
        _time = time;
        _signal = signal;
        _tester = tester;
    }

    /// <summary>Events per transaction of a bulk job: short, so the pipeline's writer is never held long.</summary>
    internal int ChunkSize { get; init; } = 200;

    /// <summary>The pause between two chunks of a bulk job, so live traffic keeps its share of the store.</summary>
    internal TimeSpan ChunkPause { get; init; } = TimeSpan.FromMilliseconds(20);

    private IAdminStore Admin => _queries.Admin;

    /// <summary>Retries one (event, destination) pair: due now, attempts reset. Returns 0 when it was delivered or does not exist.</summary>
    public async Task<int> RetryAsync(string eventId, string destination, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var count = await Admin.RetryAsync([eventId], destination, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _signal?.Notify();
        await AuditAsync(actor, "retry", $"{destination} {eventId}", count, null, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Replays events to a registered destination, each if the destination's filter selects it.</summary>
    /// <exception cref="ArgumentException">No sink of that name runs in this process.</exception>
    public async Task<ReplayResult> ReplayAsync(IReadOnlyList<string> eventIds, string destination, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var sink = Sink(destination);
        var replay = new SinkReplay(_queries.Store, _queries.Store, _time);
        int queued = 0, skipped = 0;
        foreach (var id in eventIds.Distinct(StringComparer.Ordinal))
        {
            var result = await replay.ReplayEventAsync(id, sink, cancellationToken).ConfigureAwait(false);
            if (result.Status == EventReplayStatus.Queued)
            {
                queued++;
            }
            else
            {
                skipped++;
            }
        }

        _signal?.Notify();
        await AuditAsync(actor, "replay", $"{destination} {string.Join(' ', eventIds.Take(10))}{(eventIds.Count > 10 ? " …" : "")}", queued, skipped == 0 ? null : $"{skipped} not replayed (unknown, or not selected by the destination's filter)", cancellationToken).ConfigureAwait(false);
        return new ReplayResult(queued, skipped);
    }

    /// <summary>
    /// Sends a configured destination a test in its format and returns its answer; written to the audit log with the
    /// outcome (count 1 when it took the test).
    /// </summary>
    /// <exception cref="ArgumentException">No destination of that name runs in this process.</exception>
    public async Task<DestinationResponse> TestDestinationAsync(string destination, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var tester = _tester ?? throw new ArgumentException($"No destination named '{destination}' runs in this process.", nameof(destination));
        DestinationResponse response;
        try
        {
            response = await tester.TestAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            response = DestinationResponse.Refused(TimeSpan.Zero, ex.Message);
        }

        await AuditAsync(actor, "test", destination, response.Succeeded ? 1 : 0, Describe(response), cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>A destination's answer in one line: "HTTP 200 in 12 ms", "confirmed in 3 ms", or the failure.</summary>
    public static string Describe(DestinationResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var latency = response.Latency.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture);
        return response switch
        {
            { StatusCode: { } status } => $"HTTP {status.ToString(CultureInfo.InvariantCulture)} in {latency} ms{(response.Succeeded ? "" : $" ({response.Error})")}",
            { Succeeded: true } => $"confirmed in {latency} ms",
            _ => $"no answer after {latency} ms ({response.Error})",
        };
    }

    /// <summary>Pauses a destination in every instance sharing the store. Returns whether it was running.</summary>
    public Task<bool> PauseAsync(string destination, string actor, CancellationToken cancellationToken) =>
        SetPausedAsync(destination, true, actor, cancellationToken);

    /// <summary>Resumes a paused destination. Returns whether it was paused.</summary>
    public Task<bool> ResumeAsync(string destination, string actor, CancellationToken cancellationToken) =>
        SetPausedAsync(destination, false, actor, cancellationToken);

    /// <summary>How many events a bulk job for <paramref name="request"/> would go through now: what the operator confirms.</summary>
    public Task<long> CountAsync(BulkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Admin.CountEventsAsync(Selection(request), cancellationToken);
    }

    /// <summary>
    /// Starts a bulk retry or replay as a job running in this process: it fixes the selection to the events stored
    /// now, counts them, and goes through them newest first in short transactions, reporting progress; <see cref="BulkJob.Abort"/> stops it.
    /// </summary>
    /// <exception cref="ArgumentException">A replay names a destination that does not run in this process.</exception>
    public async Task<BulkJob> StartBulkAsync(BulkRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Destination);
        var sink = request.Action == BulkAction.Replay ? Sink(request.Destination) : null;
        var newest = await _queries.NewestEventSequenceAsync(cancellationToken).ConfigureAwait(false);
        var selection = Selection(request) with { BeforeSequence = Math.Min(request.Filter.BeforeSequence ?? long.MaxValue, newest + 1) };
        var total = await Admin.CountEventsAsync(selection, cancellationToken).ConfigureAwait(false);
        var id = Guid.NewGuid().ToString("N")[..12];
        var job = new BulkJob(id, request, total, actor, _time.GetUtcNow());
        var name = request.Action == BulkAction.Retry ? "bulk-retry" : "bulk-replay";
        await AuditAsync(actor, name, request.Destination, total, $"job {id} started; filter {Describe(request.Filter)}", cancellationToken).ConfigureAwait(false);
        _jobs.Add(job);
        job.Completion = Task.Run(() => RunAsync(job, selection, sink, name), CancellationToken.None);
        return job;
    }

    private async Task RunAsync(BulkJob job, EventQuery selection, SinkRegistration? sink, string name)
    {
        var state = BulkJobState.Completed;
        string? error = null;
        try
        {
            var query = selection with { Limit = ChunkSize };
            while (true)
            {
                job.AbortToken.ThrowIfCancellationRequested();
                var page = await _queries.Store.ListEventsAsync(query, job.AbortToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                int affected;
                if (sink is null)
                {
                    affected = await Admin.RetryAsync([.. page.Select(e => e.Id)], job.Request.Destination, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    string[] ids = [.. page.Where(e => Selects(sink, e)).Select(e => e.Id)];
                    affected = ids.Length == 0 ? 0 : await _queries.Store.EnqueueAsync(ids, sink.Name, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                }

                job.Advance(page.Count, affected);
                _signal?.Notify();
                if (page.Count < query.Limit)
                {
                    break;
                }

                query = query with { BeforeSequence = page[^1].Sequence };
                await Task.Delay(ChunkPause, _time, job.AbortToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (job.AbortToken.IsCancellationRequested)
        {
            state = BulkJobState.Aborted;
        }
        catch (Exception ex) when (ex is StoreUnavailableException or InvalidOperationException)
        {
            state = BulkJobState.Failed;
            error = ex.Message;
        }

        try
        {
            await AuditAsync(job.Actor, name, job.Request.Destination, job.Affected,
                $"job {job.Id} {state.ToString().ToLowerInvariant()}: {job.Processed.ToString(CultureInfo.InvariantCulture)} of {job.Total.ToString(CultureInfo.InvariantCulture)} events{(error is null ? "" : "; " + error)}",
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            // The job's own end is still recorded in memory; the start entry is in the log.
        }

        job.Finish(state, _time.GetUtcNow(), error);
    }

    private static EventQuery Selection(BulkRequest request) => request.Action == BulkAction.Retry
        // A retry concerns the destination's pairs that are not delivered: failed (retrying or dead) unless narrowed.
        ? request.Filter with { Destination = request.Destination, Outcome = request.Filter.Outcome ?? EventOutcome.Failed, AfterSequence = null }
        : request.Filter with { AfterSequence = null };

    private SinkRegistration Sink(string destination) =>
        _queries.RegisteredSinks.FirstOrDefault(s => s.Name == destination)
        ?? throw new ArgumentException($"No destination or handler named '{destination}' runs in this gateway; known: {string.Join(", ", _queries.RegisteredSinks.Select(s => s.Name))}.", nameof(destination));

    private static bool Selects(SinkRegistration sink, StoredEvent e) =>
        (sink.Filter.IncludeTestEvents || !e.IsTest) && sink.Filter.Matches(e.Field, e.Type, e.WabaId, e.PhoneNumberId);

    private async Task<bool> SetPausedAsync(string destination, bool paused, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var changed = await Admin.SetSinkPausedAsync(destination, paused, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!paused)
        {
            _signal?.Notify();
        }

        await AuditAsync(actor, paused ? "pause" : "resume", destination, changed ? 1 : 0, changed ? null : paused ? "already paused" : "was not paused", cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private Task AuditAsync(string actor, string action, string? target, long count, string? detail, CancellationToken cancellationToken) =>
        Admin.AppendAuditAsync(new AuditEntry(0, _time.GetUtcNow(), actor, action, target, count, detail), cancellationToken);

    /// <summary>A filter in words, for the audit log.</summary>
    public static string Describe(EventQuery filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var text = new StringBuilder();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                text.Append(text.Length == 0 ? "" : " ").Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        Add("field", filter.Field);
        Add("type", filter.Type);
        Add("waba", filter.WabaId);
        Add("phone", filter.PhoneNumberId);
        Add("destination", filter.Destination);
        Add("outcome", filter.Outcome?.ToString().ToLowerInvariant());
        Add("status", filter.HttpStatus);
        Add("since", filter.Since?.ToString("O", CultureInfo.InvariantCulture));
        Add("until", filter.Until?.ToString("O", CultureInfo.InvariantCulture));
        Add("q", filter.Search);
        Add("test", filter.Test);
        Add("unrouted", filter.Unrouted);
        return text.Length == 0 ? "(all events)" : text.ToString();
    }
}
