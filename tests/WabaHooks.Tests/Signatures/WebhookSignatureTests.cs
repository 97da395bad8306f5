using System.Text;
using WabaHooks.Signatures;

namespace WabaHooks.Tests.Signatures;

public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    // Digests computed independently (Python's hmac module) over the exact bytes below.
    private static readonly byte[] EscapedUnicodeBody = Encoding.ASCII.GetBytes("{\"text\":\"caf\\u00e9\"}");
    private const string EscapedUnicodeDigest = "fd1953297c43c09fb9eea0fd1e756bb1c9d5e27d332c7195bcc91034ad37003a";
    private static readonly byte[] EmojiBody = Encoding.UTF8.GetBytes("{\"text\":\"hi \U0001F600 \u00e9\"}");
    private const string EmojiDigest = "fbd14b3ee496e6d029aa8cc5541b922bef6cbcfa66c3c83c7d01b4b48d02f72c";

    private static readonly AppSecret[] OneSecret = [new("app-a", Secret)];

    [Fact]
    public void Body_with_escaped_unicode_verifies_over_its_raw_bytes()
    {
        var result = WebhookSignature.Verify(EscapedUnicodeBody, "sha256=" + EscapedUnicodeDigest, OneSecret);

        Assert.True(result.IsValid);
        Assert.Equal("app-a", result.MatchedSecret!.AppId);
    }

    [Fact]
    public void Body_with_raw_utf8_emoji_verifies_over_its_raw_bytes()
    {
        Assert.True(WebhookSignature.Verify(EmojiBody, "sha256=" + EmojiDigest, OneSecret).IsValid);
    }

    [Fact]
    public void Re_encoding_an_escaped_body_breaks_the_signature()
    {
        // What a parse-and-reserialise receiver would hash: the same text with the escape decoded.
        var reencoded = Encoding.UTF8.GetBytes("{\"text\":\"caf\u00e9\"}");

        Assert.Equal(SignatureFailure.Mismatch, WebhookSignature.Verify(reencoded, "sha256=" + EscapedUnicodeDigest, OneSecret).Failure);
    }

    [Fact]
    public void Uppercase_hex_digest_is_accepted()
    {
        Assert.True(WebhookSignature.Verify(EmojiBody, "sha256=" + EmojiDigest.ToUpperInvariant(), OneSecret).IsValid);
    }

    [Fact]
    public void Sign_produces_the_lowercase_digest_meta_sends()
    {
        Assert.Equal("sha256=" + EscapedUnicodeDigest, WebhookSignature.Sign(EscapedUnicodeBody, Secret));
    }

    [Fact]
    public void With_two_secrets_the_one_that_signed_is_reported()
    {
        AppSecret[] secrets = [new("app-old", "ffffffffffffffffffffffffffffffff"), new("app-new", Secret)];

        var result = WebhookSignature.Verify(EmojiBody, "sha256=" + EmojiDigest, secrets);

        Assert.True(result.IsValid);
        Assert.Equal("app-new", result.MatchedSecret!.AppId);
    }

    [Fact]
    public void Signature_from_a_secret_that_is_not_configured_is_a_mismatch()
    {
        var signature = WebhookSignature.Sign(EmojiBody, "another-apps-secret");

        var result = WebhookSignature.Verify(EmojiBody, signature, OneSecret);

        Assert.False(result.IsValid);
        Assert.Equal(SignatureFailure.Mismatch, result.Failure);
        Assert.Null(result.MatchedSecret);
    }

    [Fact]
    public void Changing_one_byte_of_the_body_is_a_mismatch()
    {
        var tampered = (byte[])EmojiBody.Clone();
        tampered[2] ^= 1;

        Assert.Equal(SignatureFailure.Mismatch, WebhookSignature.Verify(tampered, "sha256=" + EmojiDigest, OneSecret).Failure);
    }

    [Theory]
    [InlineData(null, SignatureFailure.Missing)]
    [InlineData("", SignatureFailure.Missing)]
    [InlineData(EmojiDigest, SignatureFailure.MissingPrefix)]
    [InlineData("sha1=" + EmojiDigest, SignatureFailure.MissingPrefix)]
    [InlineData("sha256=" + "abc", SignatureFailure.WrongLength)]
    [InlineData("sha256=" + EmojiDigest + "00", SignatureFailure.WrongLength)]
    [InlineData("sha256=zz" + "d14b3ee496e6d029aa8cc5541b922bef6cbcfa66c3c83c7d01b4b48d02f72c", SignatureFailure.NotHex)]
    public void Malformed_headers_are_refused_with_their_reason(string? header, SignatureFailure expected)
    {
        var result = WebhookSignature.Verify(EmojiBody, header, OneSecret);

        Assert.Equal(expected, result.Failure);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.DoesNotContain(Secret, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_failure_has_a_distinct_one_line_reason()
    {
        var reasons = Enum.GetValues<SignatureFailure>().Where(f => f != SignatureFailure.None)
            .Select(f => new SignatureVerificationResult(f, null).Reason!).ToList();

        Assert.Equal(reasons.Count, reasons.Distinct().Count());
        Assert.All(reasons, r => Assert.DoesNotContain('\n', r));
    }

    [Fact]
    public void App_secret_parses_an_app_id_prefix_and_never_prints_the_secret()
    {
        var named = AppSecret.Parse("1234567890:" + Secret);
        var bare = AppSecret.Parse(Secret);

        Assert.Equal("1234567890", named.AppId);
        Assert.True(named.HasAppId);
        Assert.Equal(AppSecret.UnnamedAppId, bare.AppId);
        Assert.False(bare.HasAppId);
        Assert.DoesNotContain(Secret, bare.ToString(), StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AppSecret.Parse("app:"));
    }

    [Fact]
    public void Secrets_without_an_app_id_are_named_by_position_and_the_name_tells_nothing_about_the_secret()
    {
        var secrets = AppSecret.NameByPosition([AppSecret.Parse("1234567890:" + Secret), AppSecret.Parse(Secret), AppSecret.Parse("weak")]);

        Assert.Equal(["1234567890", "secret-2", "secret-3"], secrets.Select(s => s.AppId));
        Assert.All(secrets, s => Assert.DoesNotContain("sha256", s.AppId, StringComparison.Ordinal));

        // The same configuration gives the same names (stable across restarts); another secret in the same place
        // gives the same name too, so a printed name cannot confirm a guess of the secret.
        Assert.Equal(secrets.Select(s => s.AppId), AppSecret.NameByPosition([AppSecret.Parse("1234567890:" + Secret), AppSecret.Parse(Secret), AppSecret.Parse("weak")]).Select(s => s.AppId));
        Assert.Equal("secret-1", Assert.Single(AppSecret.NameByPosition([AppSecret.Parse("password1")])).AppId);
        Assert.Equal("secret-1", Assert.Single(AppSecret.NameByPosition([AppSecret.Parse("0123456789abcdef0123456789abcdef")])).AppId);

        // Naming keeps the key: the named secret verifies what the original signs.
        var body = "{}"u8.ToArray();
        Assert.Same(secrets[2], WebhookSignature.Verify(body, WebhookSignature.Sign(body, "weak"), secrets).MatchedSecret);
    }
}
