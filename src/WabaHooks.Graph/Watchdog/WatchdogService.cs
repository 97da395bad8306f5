using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WabaHooks.Graph.Watchdog;

/// <summary>
/// Runs a watchdog round at start and then every <see cref="WatchdogOptions.SubscriptionCheckInterval"/>, and logs
/// each warning when it appears and when it clears, not on every round, so a lasting problem does not flood the log.
/// </summary>
internal sealed partial class WatchdogService(
    SubscriptionWatchdog watchdog,
    IOptions<WatchdogOptions> options,
    TimeProvider timeProvider,
    ILogger<WatchdogService> logger) : BackgroundService
{
    private HashSet<string> _logged = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WabaIds.Count == 0)
        {
            return; // Nothing to watch: the watchdog is off.
        }

        var interval = options.Value.SubscriptionCheckInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await watchdog.CheckAsync(stoppingToken).ConfigureAwait(false);
                LogChanges();
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug in a round must not stop the gateway (a failed BackgroundService stops the host): log, try again later.
                LogRoundFailed(logger, ex);
                await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Logs warnings new since the last round, and those that cleared.</summary>
    internal void LogChanges()
    {
        var current = watchdog.Report().Warnings.ToHashSet(StringComparer.Ordinal);
        foreach (var warning in current.Where(w => !_logged.Contains(w)))
        {
            LogWarning(logger, warning);
        }

        foreach (var cleared in _logged.Where(w => !current.Contains(w)))
        {
            LogCleared(logger, cleared);
        }

        _logged = current;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Watchdog: a check failed unexpectedly; trying again at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watchdog: {Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watchdog: cleared: {Warning}")]
    private static partial void LogCleared(ILogger logger, string warning);
}
