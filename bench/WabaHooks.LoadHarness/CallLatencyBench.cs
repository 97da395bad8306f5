using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Payloads;
using WabaHooks.Signatures;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>call-latency</c>: how long after the POST's 200 a call's <c>connect</c> reaches an in-process handler (its start)
/// and an HTTP destination (the request's arrival), at idle and while other deliveries stream in at a fraction of the
/// peak ingest rate measured just before. Everything runs in this process on one clock (<see cref="Stopwatch"/>): the
/// gateway (<c>AddWabaHooks</c> + <c>UseSqlite</c> on a fresh temp folder, defaults otherwise, one <c>On&lt;CallConnect&gt;</c>
/// handler, one Meta-format destination for <c>calls.*</c>), the destination's receiver (Kestrel, 200 at once) and the
/// senders. A delivery is posted only after the previous call has reached both, so samples do not queue behind each
/// other; the background load is open-loop (a fixed rate of unique text messages, whatever the answers).
/// </summary>
/// <remarks>
/// A latency can be slightly negative: the handler may start before the client has read the 200. The figures include
/// the loopback HTTP hop to the receiver.
/// </remarks>
internal static class CallLatencyBench
{
    private const string AppSecretValue = "0123456789abcdef0123456789abcdef";
    private const string ConnectTemplate = "calls-connect-user-initiated.json";
    private const string TextTemplate = "messages-text.json";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = CallLatencyOptions.Parse(args);
        var connect = File.ReadAllText(Path.Combine(options.PayloadDirectory, ConnectTemplate));
        var text = File.ReadAllText(Path.Combine(options.PayloadDirectory, TextTemplate));
        var templateWacid = Between(connect, "\"id\": \"wacid.", "\"");
        var templateWamid = Between(text, "\"id\": \"wamid.", "\"");
        var root = Directory.CreateDirectory(Path.Combine(options.DataRoot, $"wabahooks-call-latency-{Guid.NewGuid():N}"));
        var handled = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

        await using var receiver = await StartReceiverAsync(received);
        var receiverUrl = receiver.Urls.Single();
        await using var gateway = await StartGatewayAsync(root.FullName, receiverUrl, handled);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections })
        {
            BaseAddress = new Uri(gateway.Urls.Single()),
            Timeout = TimeSpan.FromSeconds(30),
        };

        Console.WriteLine($"# {Environment.ProcessorCount} cores, load average before: {LoadAverage()}");
        var sequence = 0L;
        string Connect(out string wacid)
        {
            wacid = "wacid." + templateWacid[..^8] + Interlocked.Increment(ref sequence).ToString("D8", CultureInfo.InvariantCulture);
            return connect.Replace("wacid." + templateWacid, wacid, StringComparison.Ordinal);
        }

        string Text() => text.Replace("wamid." + templateWamid, "wamid.bench" + Interlocked.Increment(ref sequence).ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal);

        try
        {
            // Warm-up: the JIT, the connection pools and the store's first writes.
            await SampleAsync(http, Connect, handled, received, options.Samples / 4, options.Gap);

            var idle = await SampleAsync(http, Connect, handled, received, options.Samples, options.Gap);
            Console.WriteLine("| phase | samples | 200 → handler start p50 | p99 | 200 → destination request p50 | p99 | background ingest |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            Report("idle", idle, achieved: null);

            var peak = await PeakAsync(http, Text, options.Connections, options.PeakSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# peak ingest (closed loop, {options.Connections} connections, text messages, {options.PeakSeconds} s): {peak:N0} req/s"));

            var rate = peak * options.LoadFraction;
            using var stop = new CancellationTokenSource();
            var load = BackgroundAsync(http, Text, rate, options.Connections, stop.Token);
            var loaded = await SampleAsync(http, Connect, handled, received, options.Samples, options.Gap);
            await stop.CancelAsync();
            var (sent, seconds) = await load;
            Report(string.Create(CultureInfo.InvariantCulture, $"{options.LoadFraction:P0} of peak"), loaded, sent / seconds);
            Console.WriteLine($"# load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            await gateway.StopAsync();
            await receiver.StopAsync();
            root.Delete(recursive: true);
        }
    }

    private delegate string MakeConnect(out string wacid);

    private static async Task<List<(double Handler, double Destination)>> SampleAsync(
        HttpClient http, MakeConnect make, ConcurrentDictionary<string, long> handled, ConcurrentDictionary<string, long> received, int count, TimeSpan gap)
    {
        var samples = new List<(double, double)>(count);
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.UTF8.GetBytes(make(out var wacid));
            await PostAsync(http, body);
            var answered = Stopwatch.GetTimestamp();
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
            long handlerAt, destinationAt;
            while (!handled.TryGetValue(wacid, out handlerAt) | !received.TryGetValue(wacid, out destinationAt))
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"{wacid} did not reach the handler and the destination within 10 s.");
                }

                await Task.Delay(1);
            }

            samples.Add((Milliseconds(handlerAt - answered), Milliseconds(destinationAt - answered)));
            await Task.Delay(gap);
        }

        return samples;
    }

    private static async Task<double> PeakAsync(HttpClient http, Func<string> make, int connections, int seconds)
    {
        var sent = 0L;
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * seconds;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                await PostAsync(http, Encoding.UTF8.GetBytes(make()));
                Interlocked.Increment(ref sent);
            }
        }));
        return sent / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Open loop: a request every 1/rate seconds, at most <paramref name="inFlight"/> at once; returns how many were sent in how long.</summary>
    private static async Task<(long Sent, double Seconds)> BackgroundAsync(HttpClient http, Func<string> make, double rate, int inFlight, CancellationToken stop)
    {
        var gate = new SemaphoreSlim(inFlight);
        var sent = 0L;
        var started = Stopwatch.GetTimestamp();
        var running = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var due = started + (long)(Stopwatch.Frequency * (sent / rate));
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), CancellationToken.None);
            }

            await gate.WaitAsync(CancellationToken.None);
            sent++;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await PostAsync(http, Encoding.UTF8.GetBytes(make()));
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.WhenAll(running);
        return (sent, seconds);
    }

    private static async Task PostAsync(HttpClient http, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, new AppSecret("bench", AppSecretValue)));
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The gateway answered {(int)response.StatusCode}.");
        }
    }

    private static async Task<WebApplication> StartGatewayAsync(string dataDir, string receiverUrl, ConcurrentDictionary<string, long> handled)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Ports.Free()}");
        builder.Logging.ClearProviders();
        builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "bench";
            o.AppSecrets.Add(new AppSecret("bench", AppSecretValue));
        })
        .UseSqlite(dataDir)
        .On<CallConnect>((context, _) =>
        {
            handled.TryAdd(context.Payload.Id ?? "", Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        })
        .AddDestination(new DestinationOptions
        {
            Name = "calls",
            Url = new Uri(receiverUrl + "/receive"),
            Format = DestinationFormat.Meta,
            Secret = "bench-meta-destination-secret",
            Types = { "calls.*" },
        });
        var app = builder.Build();
        app.MapWabaHooks("/webhook");
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartReceiverAsync(ConcurrentDictionary<string, long> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Ports.Free()}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/receive", async (HttpRequest request) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var start = body.IndexOf("wacid.", StringComparison.Ordinal);
            if (start >= 0)
            {
                received.TryAdd(body[start..body.IndexOf('"', start)], at);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    private static void Report(string phase, List<(double Handler, double Destination)> samples, double? achieved)
    {
        var handler = samples.Select(s => s.Handler).Order().ToArray();
        var destination = samples.Select(s => s.Destination).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {phase} | {samples.Count} | {Percentile(handler, 0.50):0.0} ms | {Percentile(handler, 0.99):0.0} ms | {Percentile(destination, 0.50):0.0} ms | {Percentile(destination, 0.99):0.0} ms | {(achieved is { } rate ? rate.ToString("N0", CultureInfo.InvariantCulture) + " req/s" : "none")} |"));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

/// <summary>Options of <c>call-latency</c>.</summary>
internal sealed record CallLatencyOptions(string PayloadDirectory, string DataRoot, int Samples, TimeSpan Gap, double LoadFraction, int Connections, int PeakSeconds)
{
    public static CallLatencyOptions Parse(string[] args)
    {
        var payloads = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/WabaHooks.Cli/Trigger/Templates"));
        var dataRoot = Path.GetTempPath();
        int samples = 300, connections = 32, peakSeconds = 10, gapMs = 20;
        var fraction = 0.5;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--payloads": payloads = value; break;
                case "--data-root": dataRoot = value; break;
                case "--samples": samples = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--gap-ms": gapMs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--load-fraction": fraction = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--peak-seconds": peakSeconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }

            i++;
        }

        return new CallLatencyOptions(payloads, dataRoot, samples, TimeSpan.FromMilliseconds(gapMs), fraction, connections, peakSeconds);
    }
}
