using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Inbox;

/// <summary>
/// Runs the group-commit writer. It starts before the server accepts requests and stops after the server has
/// drained them, so every request in flight at shutdown is committed (or refused) before the store closes.
/// </summary>
internal sealed partial class InboxWriterService(
    IDeliveryStore store,
    GroupCommitWriter writer,
    ILogger<InboxWriterService> logger) : IHostedService
{
    private readonly CancellationTokenSource _abort = new();
    private Task? _running;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _running = Task.Run(() => writer.RunAsync(_abort.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        writer.Complete();
        if (_running is not null)
        {
            try
            {
                await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out: fail what is queued rather than hang.
                await _abort.CancelAsync().ConfigureAwait(false);
                LogAbandoned(logger);

                // A commit already handed to the store runs to its end (the store's own timeouts bound it); the store
                // must not be disposed under it, or an acknowledged-in-progress batch would race the close.
                await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        _abort.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timed out before the inbox writer drained; queued deliveries were answered 503.")]
    private static partial void LogAbandoned(ILogger logger);
}
