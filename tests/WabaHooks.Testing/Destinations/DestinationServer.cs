using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WabaHooks.Testing.Destinations;

/// <summary>
/// A real HTTP destination on 127.0.0.1 (Kestrel, a fixed free port) that records every request and answers as
/// <see cref="Respond"/> says. It can be stopped and started again on the same port, to play a destination that is down
/// for a while.
/// </summary>
public sealed class DestinationServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly int _port;
    private WebApplication? _app;
    private int _count;

    private DestinationServer(int port) => _port = port;

    /// <summary>Where to send events.</summary>
    public Uri Url => new($"http://127.0.0.1:{_port}/hook");

    /// <summary>
    /// Decides each answer from the request and its 1-based number: a status code, or <see langword="null"/> to hang
    /// until the client gives up. Default: 200 for everything.
    /// </summary>
    public Func<ReceivedRequest, int, CancellationToken, Task<int?>> Respond { get; set; } = static (_, _, _) => Task.FromResult<int?>(200);

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Starts a server on a free port.</summary>
    public static async Task<DestinationServer> StartAsync()
    {
        var server = new DestinationServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port.</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        _app = app;
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token);
            await app.DisposeAsync();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the requests received, or fails after <paramref name="bound"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, TimeSpan bound, string what)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!condition(Received))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {bound} for {what}; {Received.Count} requests received.");
            }

            await Task.Delay(20);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var number = Interlocked.Increment(ref _count);
        var request = new ReceivedRequest(DateTimeOffset.UtcNow, context.Request.Path, headers, buffer.ToArray(), 0);
        int? status;
        try
        {
            status = await Respond(request, number, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            status = null;
        }

        if (status is null)
        {
            _received.Enqueue(request);
            // Hang until the client gives up (or the server stops).
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        _received.Enqueue(request with { Status = status.Value });
        context.Response.StatusCode = status.Value;
        await context.Response.WriteAsync(status.Value is >= 200 and < 300 ? "ok" : $"failing with {status.Value}", CancellationToken.None);
    }
}
