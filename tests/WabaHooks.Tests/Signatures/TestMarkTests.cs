using System.Text;
using WabaHooks.Signatures;

namespace WabaHooks.Tests.Signatures;

public sealed class TestMarkTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("{\"object\":\"whatsapp_business_account\"}");

    // Computed independently (Python's hmac module): HMAC-SHA256 of the body under HMAC-SHA256(secret, "wabahooks test mark v1").
    private const string Digest = "5f609a9b457e44e4d117a69f2b4b4a0f43d1a50662e17e5d33c29b38af933d45";

    private static readonly AppSecret App = new("app", Secret);

    [Fact]
    public void The_mark_is_an_hmac_of_the_body_under_a_key_derived_from_the_app_secret()
    {
        Assert.Equal("sha256=" + Digest, TestMark.Sign(Body, Secret));
        Assert.True(TestMark.Verify(Body, "sha256=" + Digest.ToUpperInvariant(), App));
    }

    [Fact]
    public void The_mark_is_never_the_meta_signature_of_the_same_body()
    {
        Assert.NotEqual(WebhookSignature.Sign(Body, Secret), TestMark.Sign(Body, Secret));
        Assert.False(TestMark.Verify(Body, WebhookSignature.Sign(Body, Secret), App));
    }

    [Theory]
    [InlineData("")]
    [InlineData(Digest)]
    [InlineData("sha256=abc")]
    [InlineData("sha256=zz09a9b457e44e4d117a69f2b4b4a0f43d1a50662e17e5d33c29b38af933d45")]
    [InlineData("sha256=6f609a9b457e44e4d117a69f2b4b4a0f43d1a50662e17e5d33c29b38af933d45")]
    public void A_mark_that_is_malformed_or_does_not_match_does_not_verify(string header)
    {
        Assert.False(TestMark.Verify(Body, header, App));
    }

    [Fact]
    public void A_mark_made_with_another_secret_or_over_other_bytes_does_not_verify()
    {
        Assert.False(TestMark.Verify(Body, TestMark.Sign(Body, "another-secret"), App));
        Assert.False(TestMark.Verify("{}"u8, TestMark.Sign(Body, Secret), App));
    }
}
