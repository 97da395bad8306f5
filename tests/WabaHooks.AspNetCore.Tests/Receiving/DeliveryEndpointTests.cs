using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using WabaHooks.Hosting;
using WabaHooks.Inbox;
using WabaHooks.Signatures;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

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

    [Fact]
    public async Task A_delivery_with_a_valid_test_mark_is_stored_with_the_test_flag()
    {
        var request = TestGateway.SignedPost(TextMessage);
        request.Headers.TryAddWithoutValidation(TestMark.HeaderName, TestMark.Sign(TextMessage, TestGateway.SecretA));

        var response = await _gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DeliveryFlags.Test, Assert.Single(await StoredAsync()).Flags);
    }

    [Fact]
    public async Task A_delivery_from_meta_without_the_header_is_not_marked_test()
    {
        await _gateway.PostAsync(TextMessage);

        Assert.Equal(DeliveryFlags.None, Assert.Single(await StoredAsync()).Flags);
    }

    [Theory]
    [InlineData("the other app's secret")]
    [InlineData("the meta signature copied")]
    [InlineData("garbage")]
    public async Task A_signed_delivery_whose_test_mark_does_not_verify_is_401_and_nothing_is_stored(string kind)
    {
        var mark = kind switch
        {
            "the other app's secret" => TestMark.Sign(TextMessage, TestGateway.SecretB),
            "the meta signature copied" => WebhookSignature.Sign(TextMessage, TestGateway.SecretA),
            _ => "sha256=nope",
        };
        var request = TestGateway.SignedPost(TextMessage);
        request.Headers.TryAddWithoutValidation(TestMark.HeaderName, mark);

        var response = await _gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(TestMark.HeaderName, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync());
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
    [InlineData("{\"\\ud800\":1,\"object\":\"whatsapp_business_account\",\"entry\":[]}", DeliveryFlags.InvalidUnicode)]
    [InlineData("{\"object\":\"whatsapp_business_account\\ud800\",\"entry\":[]}", DeliveryFlags.InvalidUnicode | DeliveryFlags.UnexpectedObject)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"10987654321\\ud800\"}]}", DeliveryFlags.InvalidUnicode)]
    [InlineData("\"\\udc00\"", DeliveryFlags.InvalidUnicode | DeliveryFlags.UnexpectedObject)]
    public async Task A_signed_body_with_a_lone_surrogate_escape_is_stored_flagged_and_answered_200(string body, DeliveryFlags flags)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var response = await _gateway.Client.SendAsync(TestGateway.SignedPost(bytes), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = Assert.Single(await StoredAsync());
        Assert.Equal(flags, summary.Flags);
        Assert.Equal(bytes, (await _gateway.Store.GetAsync(summary.Id, Ct))!.Body.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0xa7 })]
    [InlineData(new byte[] { 0xff, 0xfe, 0x00 })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xc3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    public async Task A_signed_body_of_bytes_that_are_not_utf8_is_stored_flagged_and_answered_200(byte[] body)
    {
        var response = await _gateway.Client.SendAsync(TestGateway.SignedPost(body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = Assert.Single(await StoredAsync());
        Assert.True(summary.Flags.HasFlag(DeliveryFlags.InvalidUnicode));
        Assert.Equal(body, (await _gateway.Store.GetAsync(summary.Id, Ct))!.Body.ToArray());
    }

    [Fact]
    public async Task A_message_text_with_invalid_utf8_is_a_notification_marked_invalid_unicode()
    {
        var marker = "\"body\": \""u8.ToArray();
        var at = TextMessage.AsSpan().IndexOf(marker) + marker.Length;
        Assert.True(at > marker.Length);
        byte[] body = [.. TextMessage[..at], 0xa7, 0xff, .. TextMessage[at..]];

        await _gateway.PostAsync(body);

        Assert.Equal(DeliveryFlags.InvalidUnicode, Assert.Single(await StoredAsync()).Flags);
    }

    [Fact]
    public async Task A_store_outage_logs_one_stack_trace_and_one_count_not_one_per_request()
    {
        await using (SqliteWriteLock.Hold(_gateway.Store.DatabasePath))
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
            {
                using var response = await _gateway.Client.SendAsync(TestGateway.SignedPost(Encoding.UTF8.GetBytes($"{{\"object\":\"whatsapp_business_account\",\"entry\":[],\"n\":{i}}}")), Ct);
                return response.StatusCode;
            }));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r));
        }

        // The count of repeats is written when the interval ends, or at the latest when the endpoint is disposed.
        await _gateway.DisposeAsync();
        // Each request fails one of two ways (the commit failed, or it did not finish in time); each way is logged in
        // full once, and its other occurrences are counted in one line.
        var lines = _gateway.Logs.Lines.Where(l => l.Contains("Delivery not stored", StringComparison.Ordinal)).ToList();
        var summaries = lines.Select(l => Regex.Match(l, @"^Error: (\d+) more within 10 s of the one logged, not logged one by one: Delivery not stored, answered 503: (.+)$")).Where(m => m.Success).ToList();
        var full = lines.Where(l => !summaries.Any(m => m.Value == l)).ToList();
        Assert.InRange(full.Count, 1, 2);
        Assert.All(full, l => Assert.Contains("Exception: ", l, StringComparison.Ordinal));
        Assert.Equal(full.Count, full.Select(l => l.Contains("did not commit", StringComparison.Ordinal)).Distinct().Count());
        Assert.InRange(summaries.Count, 0, 2);
        Assert.Equal(40, full.Count + summaries.Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_sender_that_repeats_a_bad_signature_is_logged_once_and_counted()
    {
        // Within the default burst of refusals (20): each is answered 401.
        for (var i = 0; i < 15; i++)
        {
            var request = TestGateway.SignedPost(TextMessage, "cccccccccccccccccccccccccccccccc");
            Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.Client.SendAsync(request, Ct)).StatusCode);
        }

        await _gateway.DisposeAsync();
        var lines = _gateway.Logs.Lines.Where(l => l.Contains("Refused", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("Warning: Refused POST /webhook from 127.0.0.1: 401", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Warning: 14 more within 10 s of the one logged, not logged one by one: Refused 401 from 127.0.0.1: ", lines[1], StringComparison.Ordinal);
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
