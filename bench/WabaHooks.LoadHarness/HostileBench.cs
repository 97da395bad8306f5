using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WabaHooks.Signatures;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>hostile</c>: the issue's hostile-traffic goal, measured from outside against <c>wabahooks serve</c> with its
/// default limits: N idle connections, M senders at 1 byte/s, one client flooding bad signatures, and open-loop valid
/// signed deliveries whose latency is what counts. Prints how many attacker connections the server closed and when,
/// the flood's answers, the log lines it cost, and the valid deliveries' p50/p99/max.
/// </summary>
/// <remarks>
/// Usage: hostile [--idle N (8000)] [--slow N (500)] [--no-flood] [--duration SECONDS (30)] [--rate VALID_PER_SECOND (50)] [--cli PATH].
/// <c>--idle 0 --slow 0 --no-flood</c> measures the same valid deliveries with no attacker: the baseline of the machine.
/// </remarks>
internal static class HostileBench
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    public static async Task<int> RunAsync(string[] args, string defaultCli)
    {
        int Int(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var idleCount = Int("--idle", 8000);
        var slowCount = Int("--slow", 500);
        var duration = TimeSpan.FromSeconds(Int("--duration", 30));
        var rate = Int("--rate", 50);
        var flooding = !args.Contains("--no-flood");
        var cli = Array.IndexOf(args, "--cli") is var c and >= 0 ? args[c + 1] : defaultCli;

        var work = Directory.CreateTempSubdirectory("wabahooks-hostile-");
        var port = Ports.Free();
        var callback = new Uri($"http://127.0.0.1:{port}/webhook");
        var serveLog = new ConcurrentQueue<string>();
        using var serve = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "serve", "--urls", $"http://127.0.0.1:{port}", "--no-admin", "--data-dir", Path.Combine(work.FullName, "data"), "--verify-token", "bench", "--app-secret", Secret },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        serve.OutputDataReceived += (_, e) => { if (e.Data is not null) serveLog.Enqueue(e.Data); };
        serve.ErrorDataReceived += (_, e) => { if (e.Data is not null) serveLog.Enqueue(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            var ready = Stopwatch.StartNew();
            while (!serveLog.Any(l => l.Contains("Callback URL:", StringComparison.Ordinal)))
            {
                if (ready.Elapsed > TimeSpan.FromSeconds(60) || serve.HasExited)
                {
                    Console.Error.WriteLine("serve did not start:\n" + string.Join('\n', serveLog));
                    return 1;
                }

                await Task.Delay(100);
            }

            var baseline = serveLog.Count;
            var endpoint = new IPEndPoint(IPAddress.Loopback, port);
            using var stop = new CancellationTokenSource(duration);
            var clock = Stopwatch.StartNew();

            // Idle: connect, send nothing, note when the server closes.
            var idleOpened = 0;
            var idleClosedAt = new ConcurrentBag<double>();
            var idle = new List<Task>();
            for (var i = 0; i < idleCount; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(endpoint);
                    idleOpened++;
                }
                catch (SocketException)
                {
                    socket.Dispose();
                    continue;
                }

                idle.Add(ClosedAsync(socket, stop.Token, idleClosedAt, clock));
            }

            // Slow: a POST announcing 10,000 bytes, sent one byte a second.
            var slowClosedAt = new ConcurrentBag<double>();
            var slow = Enumerable.Range(0, slowCount).Select(_ => SlowAsync(endpoint, callback, stop.Token, slowClosedAt, clock)).ToList();

            // Flood: bad signatures as fast as one connection goes.
            var floodAnswers = new ConcurrentDictionary<int, int>();
            var flood = flooding ? FloodAsync(callback, stop.Token, floodAnswers) : Task.CompletedTask;

            // Valid: open loop, each delivery on its own schedule whatever the previous one did.
            var latencies = new ConcurrentBag<double>();
            var failures = 0;
            using var valid = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };
            var sends = new List<Task>();
            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var next = clock.Elapsed + TimeSpan.FromSeconds(2);
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                next += interval;
                var body = Encoding.UTF8.GetBytes($"{{\"object\":\"whatsapp_business_account\",\"entry\":[],\"n\":{n++}}}");
                sends.Add(Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new("application/json");
                    request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
                    try
                    {
                        using var response = await valid.SendAsync(request);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                            return;
                        }
                    }
                    catch (HttpRequestException)
                    {
                    }
                    catch (TaskCanceledException)
                    {
                    }

                    Interlocked.Increment(ref failures);
                }));
            }

            await Task.WhenAll(sends);
            await flood;
            await Task.WhenAll(slow);
            await Task.WhenAll(idle);

            var sorted = latencies.Order().ToArray();
            double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            var logLines = serveLog.Count - baseline;
            Console.WriteLine($"hostile: {idleOpened} idle connections opened (of {idleCount}), {slowCount} senders at 1 byte/s, {(flooding ? "one bad-signature flood" : "no flood")}, {rate} valid deliveries/s for {duration.TotalSeconds:0} s, default limits");
            Console.WriteLine($"| measure | value |");
            Console.WriteLine($"|---|---:|");
            Console.WriteLine($"| idle connections closed by the server | {idleClosedAt.Count} of {idleOpened} (first {Min(idleClosedAt)}, last {Max(idleClosedAt)}) |");
            Console.WriteLine($"| slow senders cut off | {slowClosedAt.Count} of {slowCount} (first {Min(slowClosedAt)}, last {Max(slowClosedAt)}) |");
            Console.WriteLine($"| flood answers | {string.Join(", ", floodAnswers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value:N0}"))} |");
            Console.WriteLine($"| serve log lines during the run | {logLines} |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| valid deliveries: 200 / failed | {sorted.Length:N0} / {failures} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| valid p50 / p99 / max | {P(0.50):0.0} ms / {P(0.99):0.0} ms / {(sorted.Length == 0 ? double.NaN : sorted[^1]):0.0} ms |"));
            return 0;
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync();
            }

            work.Delete(recursive: true);
        }
    }

    private static string Min(ConcurrentBag<double> at) => at.IsEmpty ? "-" : string.Create(CultureInfo.InvariantCulture, $"{at.Min():0.0} s");

    private static string Max(ConcurrentBag<double> at) => at.IsEmpty ? "-" : string.Create(CultureInfo.InvariantCulture, $"{at.Max():0.0} s");

    private static async Task ClosedAsync(Socket socket, CancellationToken stop, ConcurrentBag<double> closedAt, Stopwatch clock)
    {
        using (socket)
        {
            var buffer = new byte[512];
            try
            {
                while (await socket.ReceiveAsync(buffer, stop) > 0)
                {
                }

                closedAt.Add(clock.Elapsed.TotalSeconds);
            }
            catch (SocketException)
            {
                closedAt.Add(clock.Elapsed.TotalSeconds);
            }
            catch (OperationCanceledException)
            {
                // Still open when the run ended.
            }
        }
    }

    private static async Task SlowAsync(IPEndPoint endpoint, Uri callback, CancellationToken stop, ConcurrentBag<double> closedAt, Stopwatch clock)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, stop);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"POST {callback.AbsolutePath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n"), stop);
            var closed = ClosedAsync(socket, stop, closedAt, clock);
            while (!closed.IsCompleted && !stop.IsCancellationRequested)
            {
                await socket.SendAsync("{"u8.ToArray(), stop);
                await Task.WhenAny(closed, Task.Delay(1000, stop));
            }

            await closed;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            if (!stop.IsCancellationRequested)
            {
                closedAt.Add(clock.Elapsed.TotalSeconds);
            }
        }
    }

    private static async Task FloodAsync(Uri callback, CancellationToken stop, ConcurrentDictionary<int, int> answers)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}"u8.ToArray();
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, "not-the-secret"));
            try
            {
                using var response = await client.SendAsync(request, stop);
                answers.AddOrUpdate((int)response.StatusCode, 1, (_, v) => v + 1);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
            }
        }
    }
}
