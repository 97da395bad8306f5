using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.AspNetCore.Dispatch;
using WabaHooks.AspNetCore.Handlers;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Hosting;

/// <summary>
/// Runs the processor after the 200: woken by each inbox commit, and polling when idle in case another process
/// appended. A failing store pauses it; it never stops for good.
/// </summary>
internal sealed partial class ProcessorService(
    DeliveryProcessor processor,
    GroupCommitWriter writer,
    SinkWorkSignal stored,
    ProcessorOptions options,
    TimeProvider timeProvider,
    ILogger<ProcessorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Take the signal before reading, so a commit that lands mid-batch is not missed.
            var committed = writer.WaitForCommitAsync();
            int processed;
            try
            {
                (processed, var result) = await processor.ProcessNextBatchAsync(stoppingToken).ConfigureAwait(false);
                if (result.Stored > 0)
                {
                    stored.Notify();
                }

                if (result.Duplicates > 0)
                {
                    LogDuplicates(logger, result.Duplicates, result.Stored);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is StoreUnavailableException or IOException or InvalidOperationException)
            {
                LogStoreFailure(logger, ex);
                await Task.Delay(options.ErrorBackoff, timeProvider, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (processed >= options.BatchSize)
            {
                continue; // A backlog: keep going.
            }

            if (processed == 0)
            {
                try
                {
                    await committed.WaitAsync(options.IdlePollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Poll: another process may share the store.
                    continue;
                }
            }

            // Caught up: let deliveries gather for a moment, so under load one commit carries many of them instead of
            // one commit (and one turn of the store's write lock) per inbox commit.
            await Task.Delay(options.BatchWindow, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Duplicates} duplicate events (stored {Stored})")]
    private static partial void LogDuplicates(ILogger logger, int duplicates, int stored);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing paused: the store failed")]
    private static partial void LogStoreFailure(ILogger logger, Exception exception);
}
