using System.Collections.Concurrent;

namespace WabaHooks.Testing.Http;

/// <summary>
/// What a user's own handler on a named HTTP client would see, such as a telemetry handler: add
/// <c>AddHttpMessageHandler(seen.NewHandler)</c> and read <see cref="All"/>. The factory builds a handler chain more
/// than once, and a handler belongs to one chain, so each chain gets a new handler reporting here.
/// </summary>
public sealed class SeenRequests
{
    private readonly ConcurrentQueue<(string Method, Uri Url)> _seen = new();

    /// <summary>Every request that passed a handler, in order.</summary>
    public IReadOnlyList<(string Method, Uri Url)> All => [.. _seen];

    /// <summary>A new handler that reports to this list.</summary>
    public DelegatingHandler NewHandler() => new Recorder(this);

    private sealed class Recorder(SeenRequests seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen._seen.Enqueue((request.Method.Method, request.RequestUri!));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
