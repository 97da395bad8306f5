using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.AspNetCore.Dispatch;
using WabaHooks.Storage;

namespace WabaHooks.AspNetCore.Handlers;

/// <summary>
/// Runs every in-process handler after the commit: one independent <see cref="HandlerSinkLoop"/> per handler. At
/// shutdown it stops claiming, lets running invocations finish for up to one handler timeout, then cancels the rest,
/// whose work is recorded as interrupted and due again at once.
/// </summary>
/// <remarks>
/// Registered after the inbox writer, so the host stops it first, while the store is still open to record outcomes.
/// </remarks>
internal sealed class HandlerDispatcherService(
    IEnumerable<HandlerRegistration> handlers,
    ISinkWorkStore work,
    IDeliveryStore deliveries,
    SinkWorkSignal signal,
    HandlerOptions options,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<HandlerDispatcherService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<(HandlerSinkLoop Loop, Task Running)> _loops = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var handler in handlers)
        {
            var invoker = new HandlerInvoker(handler, work, scopes, options, time, logger);
            var loop = new HandlerSinkLoop(handler, invoker, work, deliveries, signal, options, time, logger);
            _loops.Add((loop, Task.Run(() => loop.RunAsync(_stopClaiming.Token, _abort.Token), CancellationToken.None)));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopClaiming.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops.Select(l => l.Running)).ConfigureAwait(false);

        var running = _loops.SelectMany(l => l.Loop.Running).ToArray();
        var abandoned = await Drain.Async(running, options.Timeout, _abort, time, cancellationToken).ConfigureAwait(false);
        if (abandoned > 0)
        {
            HandlerLog.ShutdownAbandoned(logger, abandoned);
        }
    }

    public void Dispose()
    {
        _stopClaiming.Dispose();
        _abort.Dispose();
    }
}
