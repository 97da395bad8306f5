using System.Net;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Receiving;

public sealed class RefusedRequestLimitTests : IAsyncLifetime
{
    private const string WrongSecret = "cccccccccccccccccccccccccccccccc";
    private readonly TempDirectory _dir = new();
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] TextMessage => ExamplePayloads.Read("messages-text.json");

    // A burst of 5, earned back so slowly that no token returns during the test.
    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync(_dir.Path, o =>
    {
        o.RefusedRequests.Burst = 5;
        o.RefusedRequests.PerSecond = 0.001;
    });

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<HttpStatusCode> PostAsync(string secret = TestGateway.SecretA)
    {
        using var response = await _gateway.Client.SendAsync(TestGateway.SignedPost(TextMessage, secret), Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_bad_signature_flood_is_answered_429_after_its_burst_and_the_log_stops_growing()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            answers.Add(await PostAsync(WrongSecret));
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), answers.Take(5));
        Assert.All(answers.Skip(5), a => Assert.Equal(HttpStatusCode.TooManyRequests, a));

        await _gateway.DisposeAsync();
        // The 5 refusals of the burst: one full line and one count; the 195 answered 429 are not logged at all.
        var lines = _gateway.Logs.Lines.Where(l => l.Contains("Refused", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("Warning: 4 more within 10 s", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_deliveries_from_a_limited_address_are_still_stored()
    {
        for (var i = 0; i < 10; i++)
        {
            await PostAsync(WrongSecret);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(WrongSecret));
        // Only refusals draw from the bucket: Meta's deliveries through the same address (a proxy) are never limited.
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await PostAsync());
        }

        Assert.Equal(50, (await _gateway.Store.ListAsync(1000, null, Ct)).Count);
    }

    [Fact]
    public async Task Wrong_verify_tokens_draw_from_the_same_burst()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await _gateway.Client.GetAsync($"/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess-{i}", Ct);
            answers.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Forbidden, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], answers);
    }
}
