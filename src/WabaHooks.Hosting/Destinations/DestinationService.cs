using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Runs every HTTP destination after the commit: one independent <see cref="DestinationLoop"/> and named HTTP client per
/// destination, and one <see cref="OutcomeRecorder"/> for all. At shutdown it stops claiming, lets requests in flight
/// finish for up to the longest destination timeout, cancels the rest (recorded as interrupted and due again at once),
/// and writes every outcome before the store closes.
/// </summary>
/// <remarks>Registered after the inbox writer, so the host stops it first, while the store is still open.</remarks>
internal sealed class DestinationService(
    IEnumerable<DestinationOptions> destinations,
    ISinkWorkStore work,
    IDeliveryStore deliveries,
    SinkWorkSignal signal,
    DestinationStatusBoard board,
    IHttpClientFactory httpClientFactory,
    WabaHooksMetrics metrics,
    TimeProvider time,
    ILogger<DestinationService> logger,
    IOptionsMonitor<DestinationOptions>? reloaded = null) : IHostedService, IDisposable
{
    private readonly SinkLoops _loops = new();
    private readonly List<DestinationClient> _clients = [];
    private readonly List<IDisposable> _secretWatches = [];
    private OutcomeRecorder? _recorder;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _recorder = new OutcomeRecorder(work, time, logger);
        foreach (var destination in destinations)
        {
            var client = new DestinationClient(destination, httpClientFactory, time);
            _clients.Add(client);
            // A destination read from configuration follows a rotation of its secret (only a valid change calls back);
            // its other settings are read once.
            var name = destination.Name;
            if (reloaded?.OnChange((changed, changedName) =>
            {
                if (changedName == name)
                {
                    client.UseSecret(changed.Secret);
                }
            }) is { } watch)
            {
                _secretWatches.Add(watch);
            }

            var loop = new DestinationLoop(client, work, deliveries, signal, _recorder, destination.PollInterval, metrics, time, logger);
            board.Add(loop.Status);
            _loops.Start(loop);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var grace = _clients.Count == 0 ? TimeSpan.Zero : _clients.Max(c => c.Destination.Timeout);
        var abandoned = await _loops.StopAsync(grace, time, cancellationToken).ConfigureAwait(false);
        if (abandoned > 0)
        {
            DestinationLog.ShutdownAbandoned(logger, abandoned);
        }

        if (_recorder is not null)
        {
            try
            {
                await _recorder.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(10), time, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The store is not answering; leases expire and the work is sent again after a restart.
            }
        }
    }

    public void Dispose()
    {
        foreach (var watch in _secretWatches)
        {
            watch.Dispose();
        }

        _loops.Dispose();
    }
}
