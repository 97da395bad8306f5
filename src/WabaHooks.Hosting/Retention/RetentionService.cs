using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Retention;

/// <summary>
/// Prunes the store on a timer (<see cref="RetentionOptions.Interval"/>, on the host's <see cref="TimeProvider"/>):
/// what is past its retention, then the size cap, then gives freed space back. A store that cannot prune (one of your
/// own without <see cref="IRetentionStore"/>) is left alone; a failing store is tried again at the next tick.
/// </summary>
internal sealed partial class RetentionService(
    IDeliveryStore store,
    IOptions<WabaHooksOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionService> logger) : BackgroundService
{
    private readonly RepeatedFailureLog _failures = new(logger, timeProvider, TimeSpan.FromHours(1));

    /// <summary>Completed rounds, for tests that move the clock and wait for the next one.</summary>
    internal int Rounds => Volatile.Read(ref _rounds);

    private int _rounds;

    private PeriodicTimer? _timer;

    /// <summary>Starts the interval here, not in the background task, so the first round is one interval after start.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(options.Value.Retention.Interval, timeProvider);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value.Retention;
        if (!retention.Enabled || store is not IRetentionStore prunable || _timer is not { } timer)
        {
            return;
        }

        var pruner = new RetentionPruner(prunable, retention.BatchSize);

        // The first round waits one interval: at start-up the writer has a backlog to take in, and a prune blocked on a
        // lock would hold the writer's turn while requests wait for their commit.
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RunOnceAsync(pruner, retention, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store outage, most likely: nothing is lost by pruning later.
                if (_failures.ShouldLog("Retention paused: the store failed"))
                {
                    LogFailed(logger, ex);
                }
            }

            Interlocked.Increment(ref _rounds);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunOnceAsync(RetentionPruner pruner, RetentionOptions retention, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var cutoffs = retention.CutoffsAt(now);
        var removed = await pruner.PruneAsync(cutoffs, cancellationToken).ConfigureAwait(false);
        if (retention.MaxStoreBytes > 0)
        {
            var capped = await pruner.EnforceSizeCapAsync(retention.MaxStoreBytes, cutoffs, now, cancellationToken).ConfigureAwait(false);
            if (capped.Total > 0)
            {
                LogCapped(logger, retention.MaxStoreBytes, capped.Deliveries, capped.Events);
            }

            removed += capped;
        }

        var released = await pruner.ReleaseFreeSpaceAsync(cancellationToken).ConfigureAwait(false);
        if (removed.Total > 0)
        {
            LogPruned(logger, removed.Deliveries, removed.Events, removed.Attempts, removed.DeadLetters, removed.DedupeKeys, removed.AuditLog, released);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Deliveries} deliveries, {Events} events, {Attempts} attempts, {DeadLetters} dead letters, {DedupeKeys} expired dedupe keys and {AuditLog} audit log entries; {Released} bytes given back to the filesystem")]
    private static partial void LogPruned(ILogger logger, long deliveries, long events, long attempts, long deadLetters, long dedupeKeys, long auditLog, long released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store was over Retention.MaxStoreBytes ({MaxStoreBytes}): removed the oldest {Deliveries} deliveries and {Events} events before their retention ended. Raise the cap, shorten the retention, or give the store more room.")]
    private static partial void LogCapped(ILogger logger, long maxStoreBytes, long deliveries, long events);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention paused: the store failed; it tries again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
