using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Events;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The destination of <c>forward</c>: Kestrel on 127.0.0.1 that reads each POST, counts the request and the events in
/// it, and answers 204. No signature check: only what the gateway costs is measured. Runs in its own process, so the
/// gateway's CPU time is its own; <c>GET /stats</c> reports the counts and, as <see cref="Stopwatch"/> timestamps
/// (CLOCK_MONOTONIC, comparable across processes), when the first request arrived and when the last new event did.
/// </summary>
/// <remarks>
/// In Meta's format a request holds every claimed event of one delivery, so the body is split again here to count
/// them by idempotency key; in the event format each request is one event and <c>webhook-id</c> is its key. Distinct
/// keys are what "every event arrived" means; the total beside them shows resends (at least once).
/// </remarks>
internal static class ForwardReceiver
{
    public static async Task RunAsync(string url, string format)
    {
        var meta = format switch
        {
            "meta" => true,
            "event" => false,
            _ => throw new ArgumentException($"Unknown format '{format}': meta or event.", nameof(format)),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        var counts = new Counts();

        app.MapPost("/receive", async context =>
        {
            var arrived = Stopwatch.GetTimestamp();
            var length = (int)(context.Request.ContentLength ?? 0);
            var body = new byte[length];
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
            if (meta)
            {
                var split = DeliverySplitter.Split(body, 0);
                counts.Add(arrived, split.IsSuccess ? split.Events.Select(e => e.Id) : []);
            }
            else
            {
                counts.Add(arrived, [context.Request.Headers["webhook-id"].ToString()]);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/reset", () => counts.Reset());
        app.MapGet("/stats", () => Results.Json(counts.Snapshot(), StatsContext.Default.ReceiverStats));

        await app.StartAsync();
        Console.WriteLine("Receiver URL: " + url + "/receive");
        await app.WaitForShutdownAsync();
    }

    private sealed class Counts
    {
        private readonly Lock _lock = new();
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private long _requests;
        private long _events;
        private long _first;
        private long _lastNew;

        public void Add(long arrived, IEnumerable<string> ids)
        {
            lock (_lock)
            {
                _requests++;
                if (_first == 0)
                {
                    _first = arrived;
                }

                foreach (var id in ids)
                {
                    _events++;
                    if (_ids.Add(id))
                    {
                        _lastNew = Stopwatch.GetTimestamp();
                    }
                }
            }
        }

        public void Reset()
        {
            lock (_lock)
            {
                _ids.Clear();
                _requests = _events = _first = _lastNew = 0;
            }
        }

        public ReceiverStats Snapshot()
        {
            lock (_lock)
            {
                return new ReceiverStats(_requests, _events, _ids.Count, _first, _lastNew);
            }
        }
    }
}

/// <summary>What the receiver has seen: requests, events (resends included), distinct event ids, and timestamps.</summary>
internal sealed record ReceiverStats(long Requests, long Events, long Distinct, long FirstRequestAt, long LastNewEventAt);

[System.Text.Json.Serialization.JsonSerializable(typeof(ReceiverStats))]
internal sealed partial class StatsContext : System.Text.Json.Serialization.JsonSerializerContext;
