using System.Security.Cryptography;
using System.Text;
using WabaHooks.Destinations;

namespace WabaHooks.Tests.Forwarding;

public sealed class StandardWebhooksTests
{
    // The example in the Standard Webhooks and Svix documentation; the signature was recomputed independently with
    // Python's hmac module over these exact bytes.
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] VectorBody = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    private static byte[] Key => StandardWebhooks.ParseSecret(VectorSecret);

    [Fact]
    public void Signing_the_published_example_gives_its_published_signature()
    {
        Assert.Equal(VectorSignature, StandardWebhooks.Sign(Key, VectorId, VectorTimestamp, VectorBody));
    }

    [Fact]
    public void The_published_example_verifies()
    {
        Assert.True(StandardWebhooks.Verify(Key, VectorId, VectorTimestamp, VectorBody, VectorSignature));
    }

    [Fact]
    public void The_signature_is_the_hmac_of_id_timestamp_and_body_joined_by_dots()
    {
        var body = new byte[100_000];
        Random.Shared.NextBytes(body);
        var joined = Encoding.UTF8.GetBytes("msg_big.1767261600.").Concat(body).ToArray();

        var signature = StandardWebhooks.Sign(Key, "msg_big", 1767261600, body);

        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(Key, joined)), signature);
    }

    [Theory]
    [InlineData("msg_p5jXN8AQM9LWM0D4loKWxJeK", VectorTimestamp, """{"test": 2432232314}""")]
    [InlineData(VectorId, VectorTimestamp + 1, """{"test": 2432232314}""")]
    [InlineData(VectorId, VectorTimestamp, """{"test": 2432232315}""")]
    [InlineData(VectorId, VectorTimestamp, """{"test":2432232314}""")]
    public void A_tampered_id_timestamp_or_body_fails(string id, long timestamp, string body)
    {
        Assert.False(StandardWebhooks.Verify(Key, id, timestamp, Encoding.UTF8.GetBytes(body), VectorSignature));
    }

    [Fact]
    public void A_signature_under_another_key_fails()
    {
        var other = StandardWebhooks.ParseSecret(StandardWebhooks.GenerateSecret());

        Assert.False(StandardWebhooks.Verify(other, VectorId, VectorTimestamp, VectorBody, VectorSignature));
    }

    [Theory]
    [InlineData("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + VectorSignature)]
    [InlineData(VectorSignature + " v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== " + VectorSignature)]
    [InlineData("v1,not-base64  " + VectorSignature + " ")]
    public void A_header_with_several_signatures_verifies_when_any_v1_one_matches(string header)
    {
        Assert.True(StandardWebhooks.Verify(Key, VectorId, VectorTimestamp, VectorBody, header));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=,")]
    public void A_header_with_no_matching_v1_signature_fails(string? header)
    {
        Assert.False(StandardWebhooks.Verify(Key, VectorId, VectorTimestamp, VectorBody, header));
    }

    [Fact]
    public void A_secret_without_its_prefix_is_the_same_key()
    {
        Assert.Equal(Key, StandardWebhooks.ParseSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        Assert.Equal(Key, StandardWebhooks.ParseSecret("  " + VectorSecret + "\n"));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void A_secret_of_24_to_64_bytes_is_accepted(int length)
    {
        var key = Enumerable.Range(1, length).Select(i => (byte)i).ToArray();

        Assert.Equal(key, StandardWebhooks.ParseSecret("whsec_" + Convert.ToBase64String(key)));
    }

    public static TheoryData<string> BadSecrets() =>
    [
        "",
        "   ",
        "whsec_",
        "whsec_!!!!not-base64!!!!",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
        "whsec_MfKQ9r8GKYqr TwjUPD8ILPZIo2LaLaSw",
        "whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "a-plain-password-that-is-long-enough",
        "whsec_" + Convert.ToBase64String(new byte[23]),
        "whsec_" + Convert.ToBase64String(new byte[65]),
    ];

    [Theory]
    [MemberData(nameof(BadSecrets))]
    public void A_bad_secret_is_rejected_with_what_a_valid_one_looks_like(string secret)
    {
        var ex = Assert.Throws<FormatException>(() => StandardWebhooks.ParseSecret(secret));

        Assert.Contains("whsec_", ex.Message, StringComparison.Ordinal);
        Assert.Contains("base64 of 24 to 64 random bytes", ex.Message, StringComparison.Ordinal);
        if (secret.Trim().Length > "whsec_".Length)
        {
            Assert.DoesNotContain(secret.Trim(), ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_generated_secret_is_whsec_and_the_base64_of_32_random_bytes()
    {
        var first = StandardWebhooks.GenerateSecret();
        var second = StandardWebhooks.GenerateSecret();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.Equal(32, StandardWebhooks.ParseSecret(first).Length);
        Assert.Equal(32, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.NotEqual(first, second);
    }
}
