using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Signatures;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Receiving;

public sealed class DeliveryEndpointTests : IAsyncLifetime
{
    private static readonly byte[] TextMessage = ExamplePayloads.Read("messages-text.json");
    private readonly TempDirectory _dir = new();
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<IReadOnlyList<DeliverySummary>> StoredAsync() => await _gateway.Store.ListAsync(10_000, null, Ct);

    [Theory]
    [MemberData(nameof(ExamplePayloads.All), MemberType = typeof(ExamplePayloads))]
    public async Task Every_example_payload_signed_is_answered_200_and_stored_byte_for_byte(string name)
    {
        var body = ExamplePayloads.Read(name);

        var response = await _gateway.Client.SendAsync(TestGateway.SignedPost(body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        var summary = Assert.Single(await StoredAsync());
        var stored = await _gateway.Store.GetAsync(summary.Id, Ct);
        Assert.Equal(body, stored!.Body.ToArray());
        Assert.Equal("app-a", summary.AppId);
        Assert.Equal(body.Length, summary.Length);
        Assert.Equal(DeliveryFlags.None, summary.Flags);
    }

    [Fact]
    public async Task The_delivery_records_which_app_secret_signed_it()
    {
        await _gateway.Client.SendAsync(TestGateway.SignedPost(TextMessage, TestGateway.SecretB), Ct);

        Assert.Equal("app-b", Assert.Single(await StoredAsync()).AppId);
    }

    [Fact]
    public async Task Uppercase_hex_signature_is_accepted()
    {
        var request = TestGateway.SignedPost(TextMessage);
        var signature = request.Headers.GetValues(WebhookSignature.HeaderName).Single();
        request.Headers.Remove(WebhookSignature.HeaderName);
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, "sha256=" + signature["sha256=".Length..].ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, (await _gateway.Client.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task Received_at_is_the_time_of_arrival()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _gateway.Client.SendAsync(TestGateway.SignedPost(TextMessage), Ct);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        var receivedAt = Assert.Single(await StoredAsync()).ReceivedAt;
        Assert.InRange(receivedAt, before, after);
    }

    public static TheoryData<string, string?> BadSignatures() => new()
    {
        { "missing", null },
        { "no prefix", Convert.ToHexStringLower(new byte[32]) },
        { "wrong length", "sha256=abcdef" },
        { "not hex", "sha256=" + new string('g', 64) },
        { "unknown secret", WebhookSignature.Sign(TextMessage, "cccccccccccccccccccccccccccccccc") },
        { "other body", WebhookSignature.Sign("{}"u8, TestGateway.SecretA) },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Post_with_a_bad_signature_is_401_with_a_one_line_reason_and_nothing_is_stored(string _, string? header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(TextMessage) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, header);
        }

        var response = await _gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var reason = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("X-Hub-Signature-256", reason, StringComparison.Ordinal);
        Assert.Single(reason.TrimEnd('\n').Split('\n'));
        Assert.Empty(await StoredAsync());
        var logged = Assert.Single(_gateway.Logs.Lines, l => l.Contains("Refused", StringComparison.Ordinal));
        Assert.Contains("401", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.SecretA, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("Leeds", logged, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Post_with_a_content_type_other_than_json_is_415(string? contentType)
    {
        var request = TestGateway.SignedPost(TextMessage);
        request.Content!.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);

        var response = await _gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Json_with_a_charset_parameter_is_accepted()
    {
        var request = TestGateway.SignedPost(TextMessage);
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, (await _gateway.Client.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task Post_over_the_body_limit_with_content_length_is_413_and_nothing_is_stored()
    {
        var body = new byte[(int)WabaHooksOptions.DefaultMaxBodyBytes + 1];

        var response = await _gateway.Client.SendAsync(TestGateway.SignedPost(body), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Chunked_post_over_the_body_limit_is_413_and_nothing_is_stored()
    {
        var body = new byte[(int)WabaHooksOptions.DefaultMaxBodyBytes + 4096];
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new StreamContent(new UnseekableStream(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, TestGateway.SecretA));

        HttpResponseMessage? response = null;
        try
        {
            response = await _gateway.Client.SendAsync(request, Ct);
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still sending: also a refusal.
        }

        if (response is not null)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Chunked_post_within_the_limit_is_stored()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new StreamContent(new UnseekableStream(TextMessage)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(TextMessage, TestGateway.SecretA));

        Assert.Equal(HttpStatusCode.OK, (await _gateway.Client.SendAsync(request, Ct)).StatusCode);
        var stored = await _gateway.Store.GetAsync(Assert.Single(await StoredAsync()).Id, Ct);
        Assert.Equal(TextMessage, stored!.Body.ToArray());
    }

    [Theory]
    [InlineData("this is not json", DeliveryFlags.NotJson)]
    [InlineData("{\"object\":\"page\",\"entry\":[]}", DeliveryFlags.UnexpectedObject)]
    public async Task A_validly_signed_body_that_will_never_parse_is_stored_flagged_and_answered_200(string body, DeliveryFlags flag)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var response = await _gateway.Client.SendAsync(TestGateway.SignedPost(bytes), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = Assert.Single(await StoredAsync());
        Assert.Equal(flag, summary.Flags);
        Assert.Equal(bytes, (await _gateway.Store.GetAsync(summary.Id, Ct))!.Body.ToArray());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("HEAD")]
    public async Task Other_methods_are_405_with_allow(string method)
    {
        var response = await _gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/webhook"), Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task Two_hundred_concurrent_deliveries_are_all_stored()
    {
        var bodies = Enumerable.Range(0, 200).Select(i => Encoding.UTF8.GetBytes($"{{\"object\":\"whatsapp_business_account\",\"entry\":[],\"n\":{i}}}")).ToList();

        var responses = await Task.WhenAll(bodies.Select(b => _gateway.Client.SendAsync(TestGateway.SignedPost(b), Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var stored = await StoredAsync();
        Assert.Equal(200, stored.Count);
        var storedBodies = new HashSet<string>();
        foreach (var s in stored)
        {
            storedBodies.Add(Encoding.UTF8.GetString((await _gateway.Store.GetAsync(s.Id, Ct))!.Body.Span));
        }

        Assert.True(bodies.Select(b => Encoding.UTF8.GetString(b)).ToHashSet().SetEquals(storedBodies));
    }

    /// <summary>A stream whose length the client cannot know, so it must send chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
