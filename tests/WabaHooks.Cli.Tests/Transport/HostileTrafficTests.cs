using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Tls;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Transport;

/// <summary>
/// The hostile-traffic goal at a scale a test can hold (the full scale is bench/hostile.sh): idle connections, slow
/// senders and a bad-signature flood at once, against a serve whose limits are set small.
/// </summary>
public sealed class HostileTrafficTests : IDisposable
{
    private const string Secret = "hostile-app-secret-0123456789abcdef";
    private const int IdleConnections = 300;
    private const int SlowSenders = 20;
    private const int FloodRequests = 300;
    private const int ValidEvery = 30;
    private static readonly TimeSpan CutOffBound = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Idle_and_slow_connections_are_cut_off_a_flood_gets_429_and_valid_deliveries_from_the_same_address_still_get_200()
    {
        var (serve, callback) = await CliProcess.StartServeAsync(
            ["--urls", "http://127.0.0.1:0", "--data-dir", _dir.Combine("data"), "--verify-token", "hostile-token", "--app-secret", Secret],
            _dir.Path,
            new Dictionary<string, string>
            {
                ["WabaHooks__Serve__Limits__KeepAliveTimeout"] = "2",
                ["WabaHooks__Serve__Limits__RequestHeadersTimeout"] = "2",
                ["WabaHooks__Serve__Limits__MinBodyBytesPerSecond"] = "100",
                ["WabaHooks__Serve__Limits__MinBodyDataRateGracePeriod"] = "1.5",
                ["WabaHooks__RefusedRequests__Burst"] = "10",
                ["WabaHooks__RefusedRequests__PerSecond"] = "0.01",
            });
        await using (serve)
        {
            var endpoint = new IPEndPoint(IPAddress.Loopback, callback.Port);
            var idle = await Task.WhenAll(Enumerable.Range(0, IdleConnections).Select(_ => ConnectAsync(endpoint)));
            var slow = await Task.WhenAll(Enumerable.Range(0, SlowSenders).Select(_ => ConnectAsync(endpoint)));
            var started = Stopwatch.StartNew();
            var idleClosed = idle.Select(ClosedByServerAsync).ToList();
            var slowClosed = slow.Select(s => SendSlowlyAsync(s, callback)).ToList();

            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var flood = new List<HttpStatusCode>();
            var valid = new List<HttpStatusCode>();
            for (var i = 0; i < FloodRequests; i++)
            {
                using var response = await client.SendAsync(TestPki.SignedPost(callback, ExamplePayloads.Read("messages-text.json"), "not-the-secret"), Ct);
                flood.Add(response.StatusCode);
                if (i % ValidEvery == 0)
                {
                    // From the flooding address itself, in the middle of the flood: only refusals draw from its bucket.
                    using var delivery = await client.SendAsync(TestPki.SignedPost(callback, ExamplePayloads.Read("messages-text.json"), Secret), Ct);
                    valid.Add(delivery.StatusCode);
                }
            }

            Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, FloodRequests / ValidEvery), valid);

            // Every attacker connection is closed by the server, within the limits plus Kestrel's one-second heartbeat.
            await Task.WhenAll(idleClosed).WaitAsync(CutOffBound, Ct);
            await Task.WhenAll(slowClosed).WaitAsync(CutOffBound, Ct);
            Assert.InRange(started.Elapsed, TimeSpan.Zero, CutOffBound);

            Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), flood.Take(10));
            Assert.All(flood.Skip(10), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
            // The flood left one refusal line (the count of the other nine comes when its interval ends), not 300.
            Assert.Single(serve.StandardOutput.Split('\n'), l => l.Contains("Refused POST", StringComparison.Ordinal));

            foreach (var socket in idle.Concat(slow))
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, Ct);
        return socket;
    }

    /// <summary>Completes when the server closes the connection (an end of stream or a reset).</summary>
    private static async Task ClosedByServerAsync(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, Ct) > 0)
            {
                // A 408 may come before the close; keep reading until the end.
            }
        }
        catch (SocketException)
        {
            // Reset: closed as well.
        }
    }

    /// <summary>A POST announcing 1000 bytes, sent one byte every 200 ms, until the server closes the connection.</summary>
    private static async Task SendSlowlyAsync(Socket socket, Uri callback)
    {
        var head = $"POST {callback.AbsolutePath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head), Ct);
        var closed = ClosedByServerAsync(socket);
        try
        {
            while (!closed.IsCompleted)
            {
                await socket.SendAsync("{"u8.ToArray(), Ct);
                await Task.WhenAny(closed, Task.Delay(200, Ct));
            }
        }
        catch (SocketException)
        {
            // The server closed it while this was sending.
        }

        await closed;
    }
}
