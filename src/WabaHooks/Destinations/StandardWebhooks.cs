using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace WabaHooks.Destinations;

/// <summary>
/// The symmetric signature of the Standard Webhooks specification (https://www.standardwebhooks.com): the
/// <c>webhook-signature</c> header holds <c>v1,</c> followed by the base64 HMAC-SHA256, keyed with the secret's bytes,
/// of <c>{webhook-id}.{webhook-timestamp}.{body}</c>. Secrets are written <c>whsec_</c> followed by the base64 of 24 to
/// 64 random bytes.
/// </summary>
public static class StandardWebhooks
{
    /// <summary>The prefix that marks a serialised Standard Webhooks secret.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The header that carries the message ID.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header that carries the attempt's Unix time in seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header that carries the space-separated signatures.</summary>
    public const string SignatureHeader = "webhook-signature";

    private const string SignaturePrefix = "v1,";
    private const int MinKeyBytes = 24;
    private const int MaxKeyBytes = 64;
    private const int GeneratedKeyBytes = 32;
    private const int DigestBytes = 32;

    // Base64 of a 32-byte digest: 44 characters, the last one padding.
    private const int DigestBase64Chars = 44;
    private const int StackIdBytes = 256;

    private const string SecretFormat =
        "A Standard Webhooks secret is whsec_ followed by the base64 of 24 to 64 random bytes " +
        "(or that base64 alone), for example one made by StandardWebhooks.GenerateSecret().";

    /// <summary>Reads a secret: <c>whsec_</c> followed by base64, or the base64 alone.</summary>
    /// <param name="secret">The secret as configured. White space around it is ignored.</param>
    /// <returns>The HMAC key: the base64-decoded bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is null.</exception>
    /// <exception cref="FormatException">
    /// The secret is not base64 (after an optional <c>whsec_</c>), or decodes to fewer than 24 or more than 64 bytes.
    /// The message says what a valid secret looks like and never repeats the secret.
    /// </exception>
    public static byte[] ParseSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var text = secret.AsSpan().Trim();
        if (text.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            text = text[SecretPrefix.Length..];
        }

        // Decoding ignores white space inside, which a secret never has; reject it so a pasted fragment is not taken.
        Span<byte> key = stackalloc byte[MaxKeyBytes];
        try
        {
            if (text.IsEmpty
                || text.ContainsAny(" \t\r\n")
                || !Convert.TryFromBase64Chars(text, key, out var written)
                || written < MinKeyBytes)
            {
                throw new FormatException(SecretFormat);
            }

            return key[..written].ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Makes a new secret: <c>whsec_</c> followed by the base64 of 32 random bytes.</summary>
    public static string GenerateSecret()
    {
        Span<byte> key = stackalloc byte[GeneratedKeyBytes];
        RandomNumberGenerator.Fill(key);
        return SecretPrefix + Convert.ToBase64String(key);
    }

    /// <summary>Computes the <c>webhook-signature</c> value for one message.</summary>
    /// <param name="key">The key, as <see cref="ParseSecret"/> returns it.</param>
    /// <param name="id">
    /// The <c>webhook-id</c>: the same for every attempt of the message. It should not contain <c>.</c>, which
    /// separates the signed parts.
    /// </param>
    /// <param name="timestampSeconds">The <c>webhook-timestamp</c>: the attempt's Unix time in seconds.</param>
    /// <param name="body">The exact bytes that will be sent.</param>
    /// <returns><c>v1,</c> followed by the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestampSeconds"/> is negative.</exception>
    public static string Sign(ReadOnlySpan<byte> key, string id, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        Span<byte> digest = stackalloc byte[DigestBytes];
        ComputeDigest(key, id, timestampSeconds, body, digest);
        return SignaturePrefix + Convert.ToBase64String(digest);
    }

    /// <summary>
    /// Checks a <c>webhook-signature</c> header, which may hold several space-separated signatures (as during a secret
    /// rotation); true when any <c>v1</c> one matches. Each is compared in constant time; signatures of other schemes
    /// (such as <c>v1a</c>) are ignored.
    /// </summary>
    /// <remarks>
    /// Only the signature is checked: the caller rejects a <paramref name="timestampSeconds"/> too far from its own
    /// clock, which is what stops a replay.
    /// </remarks>
    /// <param name="key">The key, as <see cref="ParseSecret"/> returns it.</param>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestampSeconds">The <c>webhook-timestamp</c> header.</param>
    /// <param name="body">The body exactly as received.</param>
    /// <param name="signatureHeader">The <c>webhook-signature</c> header; <see langword="null"/> when absent.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestampSeconds"/> is negative.</exception>
    public static bool Verify(ReadOnlySpan<byte> key, string id, long timestampSeconds, ReadOnlySpan<byte> body, string? signatureHeader)
    {
        Span<byte> expected = stackalloc byte[DigestBytes];
        ComputeDigest(key, id, timestampSeconds, body, expected);
        if (signatureHeader is null)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[DigestBytes];
        var matched = false;
        foreach (var range in signatureHeader.AsSpan().Split(' '))
        {
            var signature = signatureHeader.AsSpan(range);
            if (!signature.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var base64 = signature[SignaturePrefix.Length..];
            if (base64.Length == DigestBase64Chars
                && Convert.TryFromBase64Chars(base64, presented, out var written)
                && written == DigestBytes)
            {
                // No early exit: how many signatures are compared should not depend on which one matches.
                matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
            }
        }

        return matched;
    }

    private static void ComputeDigest(ReadOnlySpan<byte> key, string id, long timestampSeconds, ReadOnlySpan<byte> body, Span<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfNegative(timestampSeconds);

        var idLength = Encoding.UTF8.GetMaxByteCount(id.Length);
        byte[]? rented = null;
        var idBytes = idLength <= StackIdBytes ? stackalloc byte[StackIdBytes] : (rented = ArrayPool<byte>.Shared.Rent(idLength));
        Span<byte> timestamp = stackalloc byte[20];
        try
        {
            // Hashed part by part, so a large body is never copied into one signed string.
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            hmac.AppendData(idBytes[..Encoding.UTF8.GetBytes(id, idBytes)]);
            hmac.AppendData("."u8);
            timestampSeconds.TryFormat(timestamp, out var timestampLength, provider: System.Globalization.CultureInfo.InvariantCulture);
            hmac.AppendData(timestamp[..timestampLength]);
            hmac.AppendData("."u8);
            hmac.AppendData(body);
            hmac.GetHashAndReset(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
