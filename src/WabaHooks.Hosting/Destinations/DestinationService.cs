using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Media;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Media;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// Runs every destination after the commit: one independent <see cref="DestinationLoop"/> and transport (a named HTTP
/// client, a broker connection) per destination, and one <see cref="OutcomeRecorder"/> for all. A broker transport
/// checks at start that what it publishes to exists, and stops start-up when its broker says it does not. At shutdown it stops claiming, lets requests in flight
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
    DestinationTransports transports,
    WabaHooksMetrics metrics,
    TimeProvider time,
    ILogger<DestinationService> logger,
    IOptionsMonitor<DestinationOptions>? reloaded = null,
    IMediaStore? mediaStore = null,
    IKeptMediaPolicy? keptMedia = null) : IHostedService, IDisposable
{
    private readonly SinkLoops _loops = new();
    private readonly List<(DestinationOptions Destination, IDestinationTransport Transport)> _transports = [];
    private readonly List<IDisposable> _secretWatches = [];
    private OutcomeRecorder? _recorder;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var destination in destinations)
        {
            var transport = transports.Create(destination);
            _transports.Add((destination, transport));
            WatchSecret(destination, transport);
            await transport.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        _recorder = new OutcomeRecorder(work, time, logger, signal.Notify);
        foreach (var (destination, transport) in _transports)
        {
            // Media kept on arrival is looked up only where it is kept: elsewhere there is nothing to carry or wait for.
            var media = mediaStore is not null && keptMedia is not null ? new DestinationMedia(mediaStore, keptMedia, destination) : null;
            if (media is null && destination.WaitForMedia)
            {
                // A destination added in code is not checked by the options validator, which reports configured ones.
                throw new InvalidOperationException($"Destination '{destination.Name}': WaitForMedia waits for media kept on arrival, and none is kept: call AddMedia(), or remove WaitForMedia.");
            }

            var loop = new DestinationLoop(destination, transport, work, deliveries, signal, _recorder, destination.PollInterval, metrics, time, logger, media);
            board.Add(loop.Status);
            _loops.Start(loop);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var grace = _transports.Count == 0 ? TimeSpan.Zero : _transports.Max(t => t.Destination.Timeout);
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

        foreach (var (_, transport) in _transports)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        _transports.Clear();
    }

    /// <summary>
    /// An HTTP destination read from configuration follows a rotation of its signing secret (only a valid change calls
    /// back); its other settings, and a broker's, are read once.
    /// </summary>
    private void WatchSecret(DestinationOptions destination, IDestinationTransport transport)
    {
        if (transport is not DestinationClient client)
        {
            return;
        }

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
