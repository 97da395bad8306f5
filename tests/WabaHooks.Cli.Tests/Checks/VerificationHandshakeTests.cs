using WabaHooks.Cli.Checks;

namespace WabaHooks.Cli.Tests.Checks;

public sealed class VerificationHandshakeTests
{
    [Theory]
    [InlineData("https://hooks.example.com/webhook", "https://hooks.example.com/webhook?hub.mode=subscribe&hub.challenge=c-1&hub.verify_token=t%20k")]
    [InlineData("https://hooks.example.com/webhook?tenant=a", "https://hooks.example.com/webhook?tenant=a&hub.mode=subscribe&hub.challenge=c-1&hub.verify_token=t%20k")]
    [InlineData("https://hooks.example.com/webhook#frag", "https://hooks.example.com/webhook?hub.mode=subscribe&hub.challenge=c-1&hub.verify_token=t%20k")]
    public void Meta_parameters_are_appended_after_any_query_the_callback_url_already_has(string callback, string expected)
    {
        Assert.Equal(expected, VerificationHandshake.VerificationUrl(new Uri(callback), "c-1", "t k").AbsoluteUri);
    }

    [Fact]
    public void Challenges_are_random_and_not_numbers_so_an_endpoint_that_parses_them_is_caught()
    {
        var challenges = Enumerable.Range(0, 20).Select(_ => VerificationHandshake.NewChallenge()).ToList();

        Assert.Equal(20, challenges.Distinct().Count());
        Assert.All(challenges, c => Assert.False(long.TryParse(c, out _)));
        Assert.All(challenges, c => Assert.Equal(c, Uri.EscapeDataString(c)));
    }
}
