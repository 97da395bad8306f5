using System.Security.Cryptography;
using System.Text;

namespace WabaHooks.Verification;

/// <summary>
/// Decides Meta's verification handshake. Meta sends it when a callback URL or verify token is saved,
/// and when a subscription or override is created through the Graph API.
/// </summary>
public static class WebhookVerification
{
    /// <summary>The only <c>hub.mode</c> Meta sends.</summary>
    public const string SubscribeMode = "subscribe";

    /// <summary>
    /// Decides the answer to a verification request. The token is compared in constant time; the challenge is
    /// never parsed, because Meta documents it as a random string in one place and an integer in another.
    /// </summary>
    /// <param name="mode">The <c>hub.mode</c> query value, or <see langword="null"/> when absent.</param>
    /// <param name="verifyToken">The <c>hub.verify_token</c> query value, or <see langword="null"/> when absent.</param>
    /// <param name="challenge">The <c>hub.challenge</c> query value, or <see langword="null"/> when absent.</param>
    /// <param name="expectedVerifyToken">The verify token configured here and in Meta's App Dashboard.</param>
    /// <exception cref="ArgumentException"><paramref name="expectedVerifyToken"/> is null or empty.</exception>
    public static VerificationDecision Decide(string? mode, string? verifyToken, string? challenge, string expectedVerifyToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedVerifyToken);

        var missing = new List<string>(3);
        if (string.IsNullOrEmpty(mode))
        {
            missing.Add("hub.mode");
        }

        if (string.IsNullOrEmpty(verifyToken))
        {
            missing.Add("hub.verify_token");
        }

        if (string.IsNullOrEmpty(challenge))
        {
            missing.Add("hub.challenge");
        }

        if (missing.Count > 0)
        {
            return new(VerificationOutcome.MissingParameter, null, $"missing query parameter {string.Join(", ", missing)}");
        }

        if (!string.Equals(mode, SubscribeMode, StringComparison.Ordinal))
        {
            return new(VerificationOutcome.Refused, null, "hub.mode is not 'subscribe'");
        }

        if (!TokensEqual(verifyToken!, expectedVerifyToken))
        {
            return new(VerificationOutcome.Refused, null, "hub.verify_token does not match the configured verify token");
        }

        return new(VerificationOutcome.Accepted, challenge, null);
    }

    /// <summary>Compares two tokens in time that depends only on their lengths, never on where they differ.</summary>
    internal static bool TokensEqual(string presented, string expected)
    {
        // Hashing first makes both sides the same length, so FixedTimeEquals never leaks the expected length either.
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
