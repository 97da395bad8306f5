using System.Globalization;
using WabaHooks.Hosting;
using WabaHooks.Inbox;
using WabaHooks.Signatures;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Receiving;

/// <summary>
/// The body limit counts body bytes, not the bytes of chunk framing, on Kestrel configured as <c>wabahooks serve</c>
/// configures it (its own request body limit set to the same number).
/// </summary>
public sealed class BodyLimitTests : IAsyncLifetime
{
    private const long Limit = WabaHooksOptions.DefaultMaxBodyBytes;
    private readonly TempDirectory _dir = new();
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(_dir.Path, kestrel: k => k.Limits.MaxRequestBodySize = Limit);

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    private static byte[] Notification(int length)
    {
        var head = "{\"object\":\"whatsapp_business_account\",\"entry\":[],\"pad\":\""u8;
        var tail = "\"}"u8;
        var body = new byte[length];
        head.CopyTo(body);
        body.AsSpan(head.Length, length - head.Length - tail.Length).Fill((byte)'x');
        tail.CopyTo(body.AsSpan(length - tail.Length));
        return body;
    }

    [Fact]
    public async Task A_3_MB_body_in_8_byte_chunks_is_stored_though_its_framing_passes_the_limit()
    {
        var body = Notification(3_000_000);
        var wire = RawHttp.Chunked(body, 8, finish: true);
        Assert.True(wire.Length > Limit);

        var status = await RawHttp.SendAsync(_gateway.Address, [.. RawHttp.Head("/webhook", WebhookSignature.Sign(body, TestGateway.SecretA), "Transfer-Encoding: chunked"), .. wire], Ct);

        Assert.Equal(200, status);
        var summary = Assert.Single(await _gateway.Store.ListAsync(10, null, Ct));
        Assert.Equal(DeliveryFlags.None, summary.Flags);
        Assert.Equal(body, (await _gateway.Store.GetAsync(summary.Id, Ct))!.Body.ToArray());
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_in_small_chunks_is_stored()
    {
        var body = Notification((int)Limit);

        var status = await RawHttp.SendAsync(_gateway.Address, [.. RawHttp.Head("/webhook", WebhookSignature.Sign(body, TestGateway.SecretA), "Transfer-Encoding: chunked"), .. RawHttp.Chunked(body, 100, finish: true)], Ct);

        Assert.Equal(200, status);
        Assert.Equal(Limit, Assert.Single(await _gateway.Store.ListAsync(10, null, Ct)).Length);
    }

    [Fact]
    public async Task A_chunked_body_one_byte_over_the_limit_is_413_without_waiting_for_the_rest()
    {
        // The last chunk is never sent: the answer must come as soon as the limit is passed, not at the end of the body.
        var body = Notification((int)Limit + 1);

        var status = await RawHttp.SendAsync(_gateway.Address, [.. RawHttp.Head("/webhook", WebhookSignature.Sign(body, TestGateway.SecretA), "Transfer-Encoding: chunked"), .. RawHttp.Chunked(body, 8, finish: false)], Ct);

        Assert.Equal(413, status);
        Assert.Empty(await _gateway.Store.ListAsync(10, null, Ct));
    }

    [Fact]
    public async Task A_content_length_over_the_limit_is_413_before_any_body_byte_is_sent()
    {
        var head = RawHttp.Head("/webhook", "sha256=" + new string('0', 64), "Content-Length: " + (Limit + 1).ToString(CultureInfo.InvariantCulture));

        var status = await RawHttp.SendAsync(_gateway.Address, head, Ct);

        Assert.Equal(413, status);
        Assert.Empty(await _gateway.Store.ListAsync(10, null, Ct));
    }

    [Fact]
    public async Task A_content_length_body_of_exactly_the_limit_is_stored()
    {
        var body = Notification((int)Limit);

        var status = await RawHttp.SendAsync(_gateway.Address, [.. RawHttp.Head("/webhook", WebhookSignature.Sign(body, TestGateway.SecretA), "Content-Length: " + body.Length.ToString(CultureInfo.InvariantCulture)), .. body], Ct);

        Assert.Equal(200, status);
        Assert.Single(await _gateway.Store.ListAsync(10, null, Ct));
    }

    [Fact]
    public async Task A_chunked_body_from_httpclient_of_unknown_length_under_the_limit_is_stored()
    {
        var body = Notification(3_000_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new StreamContent(new SmallReads(body)) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, TestGateway.SecretA));

        using var response = await _gateway.Client.SendAsync(request, Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, Assert.Single(await _gateway.Store.ListAsync(10, null, Ct)).Length);
    }

    /// <summary>A stream of unknown length that hands out 8 bytes a read, so HttpClient sends 8-byte chunks.</summary>
    private sealed class SmallReads(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 8));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 8)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 8)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 8), cancellationToken);
    }
}
