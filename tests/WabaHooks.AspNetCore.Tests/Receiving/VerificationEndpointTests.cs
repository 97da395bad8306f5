using System.Net;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Receiving;

public sealed class VerificationEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync(_dir.Path);

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("1158201444")]
    [InlineData("a-random_Challenge.With~chars")]
    public async Task Get_with_subscribe_and_the_right_token_answers_200_with_the_challenge_verbatim_as_text_plain(string challenge)
    {
        var response = await _gateway.Client.GetAsync(
            $"/webhook?hub.mode=subscribe&hub.challenge={Uri.EscapeDataString(challenge)}&hub.verify_token={TestGateway.VerifyToken}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(challenge, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Get_with_a_wrong_token_is_403()
    {
        var response = await _gateway.Client.GetAsync("/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("1", (await response.Content.ReadAsStringAsync(Ct)).Trim('\n').Split(' ').Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_with_a_mode_other_than_subscribe_is_403()
    {
        var response = await _gateway.Client.GetAsync($"/webhook?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token={TestGateway.VerifyToken}", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("hub.challenge=1&hub.verify_token=" + TestGateway.VerifyToken)]
    [InlineData("hub.mode=subscribe&hub.verify_token=" + TestGateway.VerifyToken)]
    [InlineData("hub.mode=subscribe&hub.challenge=1")]
    [InlineData("")]
    public async Task Get_with_a_missing_parameter_is_400(string query)
    {
        var response = await _gateway.Client.GetAsync("/webhook?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("missing", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_needs_no_signature_and_a_refusal_is_logged_with_reason_and_address_but_not_the_token()
    {
        await _gateway.Client.GetAsync("/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess-" + TestGateway.VerifyToken, Ct);

        var line = Assert.Single(_gateway.Logs.Lines, l => l.Contains("Refused", StringComparison.Ordinal));
        Assert.Contains("403", line, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", line, StringComparison.Ordinal);
        Assert.Contains("verify_token does not match", line, StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.VerifyToken, line, StringComparison.Ordinal);
    }
}
