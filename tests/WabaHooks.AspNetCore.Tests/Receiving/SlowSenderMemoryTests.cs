using System.Globalization;
using System.Net.Sockets;
using System.Text;
using WabaHooks.Hosting;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Receiving;

/// <summary>
/// Runs alone: it measures every allocation in the process, and other tests' allocations would be counted with it.
/// </summary>
[CollectionDefinition(nameof(AllocationMeasuring), DisableParallelization = true)]
public sealed class AllocationMeasuring;

/// <summary>
/// Memory held for a body follows the bytes that arrived, not the Content-Length announced: neither the length nor the
/// signature can be trusted before the body is complete, and a sender that announces the limit and stalls must not
/// hold the limit in memory.
/// </summary>
[Collection(nameof(AllocationMeasuring))]
public sealed class SlowSenderMemoryTests : IAsyncLifetime
{
    private const int Connections = 20;
    private const long Declared = WabaHooksOptions.DefaultMaxBodyBytes;
    private readonly TempDirectory _dir = new();
    private readonly List<TcpClient> _senders = [];
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(_dir.Path, kestrel: k => k.Limits.MaxRequestBodySize = Declared);

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders)
        {
            sender.Dispose();
        }

        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Senders_that_announce_4_MiB_and_stall_after_a_few_bytes_do_not_make_the_server_allocate_4_MiB_each()
    {
        // One warm-up request first, so what the first request of a process allocates (JIT, pools) is not measured.
        await _gateway.PostAsync("{\"object\":\"whatsapp_business_account\",\"entry\":[]}"u8.ToArray());
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(60));
        var before = GC.GetTotalAllocatedBytes(precise: true);

        for (var i = 0; i < Connections; i++)
        {
            _senders.Add(await StallAfterAFewBytesAsync(bounded.Token));
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"{Connections} stalled senders: {allocated / 1024} KiB allocated");
        // Allocating what was announced would be 80 MiB; what arrived is a few bytes a connection, plus the first
        // pooled buffer and the server's own bookkeeping.
        Assert.True(allocated < 10L * 1024 * 1024, $"{Connections} stalled senders made the process allocate {allocated / 1024} KiB");
        Assert.Single(await _gateway.Store.ListAsync(10, null, Ct));
    }

    /// <summary>
    /// Sends a head announcing <see cref="Declared"/> bytes with <c>Expect: 100-continue</c>, waits for the
    /// <c>100 Continue</c> (which Kestrel sends when the endpoint first reads the body, so the endpoint is then past
    /// whatever it does before reading), sends a few bytes and leaves the connection open.
    /// </summary>
    private async Task<TcpClient> StallAfterAFewBytesAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(_gateway.Address.Host, _gateway.Address.Port, cancellationToken);
            var stream = client.GetStream();
            var head = RawHttp.Head(
                "/webhook",
                "sha256=" + new string('0', 64),
                "Content-Length: " + Declared.ToString(CultureInfo.InvariantCulture) + "\r\nExpect: 100-continue");
            await stream.WriteAsync(head, cancellationToken);

            var received = new StringBuilder();
            var buffer = new byte[256];
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, cancellationToken);
                Assert.NotEqual(0, n);
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            Assert.StartsWith("HTTP/1.1 100 Continue", received.ToString(), StringComparison.Ordinal);
            await stream.WriteAsync("{\"object\":"u8.ToArray(), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
