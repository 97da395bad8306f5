using System.Buffers;
using System.Security.Cryptography;

namespace WabaHooks.Signatures;

/// <summary>
/// Meta's <c>X-Hub-Signature-256</c>: <c>sha256=</c> followed by the hex HMAC-SHA256 of the raw request body, keyed
/// with the app secret. Verify over the exact bytes received; never over a re-serialised body.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header Meta signs deliveries with.</summary>
    public const string HeaderName = "X-Hub-Signature-256";

    /// <summary>The prefix before the hex digest.</summary>
    public const string Prefix = "sha256=";

    private const int DigestBytes = 32;
    private const int DigestHexChars = DigestBytes * 2;

    /// <summary>
    /// Checks a signature against each configured secret in constant time. Hex digits are accepted in either case.
    /// </summary>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="signatureHeader">The <c>X-Hub-Signature-256</c> header value, or <see langword="null"/> when absent.</param>
    /// <param name="secrets">The configured app secrets; the first that matches is reported.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is null.</exception>
    public static SignatureVerificationResult Verify(ReadOnlySpan<byte> body, string? signatureHeader, IReadOnlyList<AppSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var header = signatureHeader.AsSpan().Trim();
        if (header.IsEmpty)
        {
            return new(SignatureFailure.Missing, null);
        }

        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return new(SignatureFailure.MissingPrefix, null);
        }

        var hex = header[Prefix.Length..];
        if (hex.Length != DigestHexChars)
        {
            return new(SignatureFailure.WrongLength, null);
        }

        Span<byte> presented = stackalloc byte[DigestBytes];
        if (Convert.FromHexString(hex, presented, out _, out var written) != OperationStatus.Done || written != DigestBytes)
        {
            return new(SignatureFailure.NotHex, null);
        }

        Span<byte> computed = stackalloc byte[DigestBytes];
        for (var i = 0; i < secrets.Count; i++)
        {
            HMACSHA256.HashData(secrets[i].Key, body, computed);
            if (CryptographicOperations.FixedTimeEquals(computed, presented))
            {
                return new(SignatureFailure.None, secrets[i]);
            }
        }

        return new(SignatureFailure.Mismatch, null);
    }

    /// <summary>Computes the <c>X-Hub-Signature-256</c> value Meta would send for <paramref name="body"/>.</summary>
    /// <param name="body">The exact bytes that will be sent.</param>
    /// <param name="secret">The app secret.</param>
    /// <returns><c>sha256=</c> followed by 64 lowercase hex digits.</returns>
    public static string Sign(ReadOnlySpan<byte> body, AppSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> digest = stackalloc byte[DigestBytes];
        HMACSHA256.HashData(secret.Key, body, digest);
        return Prefix + Convert.ToHexStringLower(digest);
    }

    /// <summary>Computes the <c>X-Hub-Signature-256</c> value for <paramref name="body"/> under a plain secret string.</summary>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null, empty or white space.</exception>
    public static string Sign(ReadOnlySpan<byte> body, string secret) => Sign(body, new AppSecret(null, secret));
}
