using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Hosting.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Handlers;

/// <summary>
/// Runs every in-process handler after the commit: one independent <see cref="HandlerSinkLoop"/> per handler. At
/// shutdown it stops claiming, lets running invocations finish for up to one handler timeout, then cancels the rest,
/// whose work is recorded as interrupted and due again at once.
/// </summary>
/// <remarks>
/// Registered after the inbox writer, so the host stops it first, while the store is still open to record outcomes.
/// </remarks>
internal sealed class HandlerService(
    IEnumerable<HandlerRegistration> handlers,
    ISinkWorkStore work,
    IDeliveryStore deliveries,
    SinkWorkSignal signal,
    HandlerOptions options,
    IServiceScopeFactory scopes,
    WabaHooksMetrics metrics,
    TimeProvider time,
    ILogger<HandlerService> logger) : IHostedService, IDisposable
{
    private readonly SinkLoops _loops = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var handler in handlers)
        {
            var invoker = new HandlerInvoker(handler, work, scopes, options, metrics, time, logger);
            _loops.Start(new HandlerSinkLoop(handler, invoker, work, deliveries, signal, options, time, logger));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var abandoned = await _loops.StopAsync(options.Timeout, time, cancellationToken).ConfigureAwait(false);
        if (abandoned > 0)
        {
            HandlerLog.ShutdownAbandoned(logger, abandoned);
        }
    }

    public void Dispose() => _loops.Dispose();
}
