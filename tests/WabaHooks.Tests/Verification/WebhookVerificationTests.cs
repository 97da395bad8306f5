using WabaHooks.Verification;

namespace WabaHooks.Tests.Verification;

public sealed class WebhookVerificationTests
{
    private const string Token = "my-verify-token";

    [Theory]
    [InlineData("1158201444")]
    [InlineData("random-challenge_Ab9")]
    public void Subscribe_with_matching_token_accepts_and_echoes_the_challenge_verbatim(string challenge)
    {
        var decision = WebhookVerification.Decide("subscribe", Token, challenge, Token);

        Assert.Equal(VerificationOutcome.Accepted, decision.Outcome);
        Assert.Equal(challenge, decision.Challenge);
    }

    [Theory]
    [InlineData("my-verify-tokeN")]
    [InlineData("my-verify-token ")]
    [InlineData("my-verify")]
    public void A_token_that_differs_is_refused(string presented)
    {
        var decision = WebhookVerification.Decide("subscribe", presented, "1", Token);

        Assert.Equal(VerificationOutcome.Refused, decision.Outcome);
        Assert.Null(decision.Challenge);
        Assert.DoesNotContain(Token, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mode_other_than_subscribe_is_refused()
    {
        Assert.Equal(VerificationOutcome.Refused, WebhookVerification.Decide("unsubscribe", Token, "1", Token).Outcome);
    }

    [Theory]
    [InlineData(null, Token, "1", "hub.mode")]
    [InlineData("subscribe", null, "1", "hub.verify_token")]
    [InlineData("subscribe", Token, null, "hub.challenge")]
    [InlineData("subscribe", Token, "", "hub.challenge")]
    public void A_missing_parameter_is_named_in_the_reason(string? mode, string? token, string? challenge, string named)
    {
        var decision = WebhookVerification.Decide(mode, token, challenge, Token);

        Assert.Equal(VerificationOutcome.MissingParameter, decision.Outcome);
        Assert.Contains(named, decision.Reason, StringComparison.Ordinal);
    }
}
