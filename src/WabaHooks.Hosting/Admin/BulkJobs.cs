using System.Collections.Concurrent;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Admin;

/// <summary>Which bulk action a job runs.</summary>
public enum BulkAction
{
    /// <summary>Each selected event's pair for the destination is made due again (same event, new attempt).</summary>
    Retry = 0,

    /// <summary>Each selected event is sent to the destination again by choice, with its original idempotency key.</summary>
    Replay = 1,
}

/// <summary>What a bulk job is asked to do.</summary>
/// <param name="Action">Retry or replay.</param>
/// <param name="Destination">The sink (destination or handler) by name.</param>
/// <param name="Filter">Which events, as in the events list; its destination is set to <paramref name="Destination"/> for a retry.</param>
public sealed record BulkRequest(BulkAction Action, string Destination, EventQuery Filter);

/// <summary>Where a bulk job stands.</summary>
public enum BulkJobState
{
    /// <summary>Still working.</summary>
    Running = 0,

    /// <summary>Went through every selected event.</summary>
    Completed = 1,

    /// <summary>Stopped by an operator; what was done stays done.</summary>
    Aborted = 2,

    /// <summary>Stopped by an error (the store went away); what was done stays done.</summary>
    Failed = 3,
}

/// <summary>A bulk retry or replay running in this process, with its progress.</summary>
public sealed class BulkJob
{
    private readonly CancellationTokenSource _abort = new();
    private long _processed;
    private long _affected;

    internal BulkJob(string id, BulkRequest request, long total, string actor, DateTimeOffset startedAt)
    {
        Id = id;
        Request = request;
        Total = total;
        Actor = actor;
        StartedAt = startedAt;
    }

    /// <summary>The job's id.</summary>
    public string Id { get; }

    /// <summary>What it does.</summary>
    public BulkRequest Request { get; }

    /// <summary>How many events the filter selected when it started (events stored later are left out).</summary>
    public long Total { get; }

    /// <summary>Who started it.</summary>
    public string Actor { get; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Events gone through so far.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Pairs made due (retry) or scheduled (replay) so far.</summary>
    public long Affected => Interlocked.Read(ref _affected);

    /// <summary>Where it stands.</summary>
    public BulkJobState State { get; private set; }

    /// <summary>When it stopped, or <see langword="null"/> while running.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>Why it failed, for <see cref="BulkJobState.Failed"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Completes when the job stops, however it stops.</summary>
    public Task Completion { get; internal set; } = Task.CompletedTask;

    internal CancellationToken AbortToken => _abort.Token;

    /// <summary>Asks the job to stop after the chunk in hand. Returns whether it was still running.</summary>
    public bool Abort()
    {
        if (State != BulkJobState.Running)
        {
            return false;
        }

        _abort.Cancel();
        return true;
    }

    internal void Advance(long processed, long affected)
    {
        Interlocked.Add(ref _processed, processed);
        Interlocked.Add(ref _affected, affected);
    }

    internal void Finish(BulkJobState state, DateTimeOffset at, string? error)
    {
        Error = error;
        FinishedAt = at;
        State = state;
        _abort.Dispose();
    }
}

/// <summary>The bulk jobs of this process (kept until it stops; their effects and audit entries are in the store).</summary>
public sealed class BulkJobs
{
    private readonly ConcurrentDictionary<string, BulkJob> _jobs = new(StringComparer.Ordinal);

    /// <summary>One job by id, or <see langword="null"/>.</summary>
    public BulkJob? Get(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Every job, newest first.</summary>
    public IReadOnlyList<BulkJob> List() => [.. _jobs.Values.OrderByDescending(j => j.StartedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal)];

    internal void Add(BulkJob job) => _jobs[job.Id] = job;
}
