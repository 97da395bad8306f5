using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Processing;

/// <summary>
/// Runs the processor after the 200: woken by each inbox commit (at once when it was idle, after the batch window
/// while traffic flows), and polling when idle in case another process appended. A failing store pauses it; it never stops for good, and no delivery's content can stop it.
/// </summary>
internal sealed partial class ProcessorService(
    DeliveryProcessor processor,
    GroupCommitWriter writer,
    SinkWorkSignal stored,
    ProcessingProgress progress,
    ProcessorOptions options,
    WabaHooksMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ProcessorService> logger) : BackgroundService
{
    // A store outage fails every turn, every ErrorBackoff: one stack trace per interval, then a count of the repeats.
    private readonly RepeatedFailureLog _failures = new(logger, timeProvider, TimeSpan.FromMinutes(1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Take the signal before reading, so a commit that lands mid-batch is not missed.
            var committed = writer.WaitForCommitAsync();
            BatchReport report;
            try
            {
                report = await processor.ProcessNextBatchAsync(stoppingToken).ConfigureAwait(false);
                progress.Progressed();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The processor isolates content failures itself; what reaches here is the store (or a defect that
                // must not end the service: stopping would leave every later delivery unprocessed without a word).
                progress.Failed(ex is StoreUnavailableException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
                if (_failures.ShouldLog("Processing paused: the store failed"))
                {
                    LogStoreFailure(logger, ex);
                }

                await Task.Delay(options.ErrorBackoff, timeProvider, stoppingToken).ConfigureAwait(false);
                continue;
            }

            Report(report);
            if (report.Deliveries >= options.BatchSize)
            {
                continue; // A backlog: keep going.
            }

            if (report.Deliveries == 0)
            {
                try
                {
                    await committed.WaitAsync(options.IdlePollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Poll: another process may share the store.
                }

                // Woken from idle by a commit: process it at once. A call rings for only tens of seconds, so the first
                // delivery after a quiet spell must not wait out a batch window; the window is for traffic.
                continue;
            }

            // Caught up after a batch with work (traffic is flowing): let deliveries gather for a moment, so under load
            // one commit carries many of them instead of one commit (and one turn of the store's write lock) per inbox
            // commit.
            await Task.Delay(options.BatchWindow, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _failures.Dispose();
        base.Dispose();
    }

    private void Report(BatchReport report)
    {
        if (report.Stored > 0)
        {
            stored.Notify();
        }

        if (report.Duplicates > 0)
        {
            metrics.DuplicatesDropped(report.Duplicates);
            LogDuplicates(logger, report.Duplicates, report.Stored);
        }

        foreach (var failed in report.Failed)
        {
            LogDeliveryFailed(logger, failed.DeliveryId, failed.Reason);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var delivery in report.Split)
            {
                LogDeliveryProcessed(logger, delivery.DeliveryId, delivery.Length, delivery.AppId, delivery.Events, delivery.Test ? " (test)" : "");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId}: {Length} bytes from app {AppId}, {Events} event(s){Test}")]
    private static partial void LogDeliveryProcessed(ILogger logger, long deliveryId, int length, string appId, int events, string test);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Duplicates} duplicate events (stored {Stored})")]
    private static partial void LogDuplicates(ILogger logger, int duplicates, int stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} could not be processed and is marked failed; the others go on. Reason: {Reason}. After an upgrade that fixes the cause, run it again with: wabahooks deliveries reprocess ID")]
    private static partial void LogDeliveryFailed(ILogger logger, long deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing paused: the store failed")]
    private static partial void LogStoreFailure(ILogger logger, Exception exception);
}
