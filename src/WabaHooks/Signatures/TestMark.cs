using System.Buffers;
using System.Security.Cryptography;

namespace WabaHooks.Signatures;

/// <summary>
/// WabaHooks' mark on synthetic traffic: <c>X-WabaHooks-Test: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the body
/// under a key derived from the app secret. <c>wabahooks trigger</c> and <c>verify-endpoint</c> send it; Meta never
/// does. Only someone who holds the app secret — who could also forge Meta's own signature — can make it.
/// </summary>
/// <remarks>
/// The key is derived (HMAC-SHA256 of a fixed label under the app secret) rather than the secret itself, so the mark
/// is never a copy of <c>X-Hub-Signature-256</c> and cannot be replayed as one. An endpoint that is not WabaHooks
/// ignores the header.
/// </remarks>
public static class TestMark
{
    /// <summary>The header that carries the mark.</summary>
    public const string HeaderName = "X-WabaHooks-Test";

    private const int DigestBytes = 32;

    /// <summary>The label the mark's key is derived from; versioned so that a later scheme cannot be confused with it.</summary>
    private static ReadOnlySpan<byte> KeyLabel => "wabahooks test mark v1"u8;

    /// <summary>Computes the header value for <paramref name="body"/> under <paramref name="secret"/>.</summary>
    /// <returns><c>sha256=</c> followed by 64 lowercase hex digits.</returns>
    public static string Sign(ReadOnlySpan<byte> body, AppSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> digest = stackalloc byte[DigestBytes];
        HMACSHA256.HashData(secret.TestMarkKey, body, digest);
        return WebhookSignature.Prefix + Convert.ToHexStringLower(digest);
    }

    /// <summary>Computes the header value for <paramref name="body"/> under a plain app secret string.</summary>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null, empty or white space.</exception>
    public static string Sign(ReadOnlySpan<byte> body, string secret) => Sign(body, new AppSecret(null, secret));

    /// <summary>
    /// Whether <paramref name="headerValue"/> is the mark of <paramref name="body"/> under <paramref name="secret"/>,
    /// compared in constant time. Call it only when the header is present and the signature was verified with
    /// <paramref name="secret"/>: it costs one HMAC over the body.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> body, string? headerValue, AppSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var header = headerValue.AsSpan().Trim();
        if (!header.StartsWith(WebhookSignature.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = header[WebhookSignature.Prefix.Length..];
        Span<byte> presented = stackalloc byte[DigestBytes];
        if (hex.Length != DigestBytes * 2
            || Convert.FromHexString(hex, presented, out _, out var written) != OperationStatus.Done
            || written != DigestBytes)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[DigestBytes];
        HMACSHA256.HashData(secret.TestMarkKey, body, computed);
        return CryptographicOperations.FixedTimeEquals(computed, presented);
    }

    /// <summary>The mark's key for an app secret's key bytes.</summary>
    internal static byte[] DeriveKey(ReadOnlySpan<byte> appSecretKey) => HMACSHA256.HashData(appSecretKey, KeyLabel);
}
