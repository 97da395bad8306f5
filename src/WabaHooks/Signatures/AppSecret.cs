using System.Security.Cryptography;
using System.Text;

namespace WabaHooks.Signatures;

/// <summary>
/// A Meta app's secret (App Dashboard &gt; App settings &gt; Basic), with the name under which deliveries signed by it
/// are recorded. Several are configured when several Meta apps point at one endpoint, or during a secret rotation.
/// </summary>
public sealed class AppSecret
{
    private readonly byte[] _key;

    /// <summary>Creates an app secret.</summary>
    /// <param name="appId">
    /// The name recorded with each delivery this secret verifies, usually the Meta app id. When <see langword="null"/>,
    /// a stable, non-reversible fingerprint of the secret is used (<c>sha256:</c> and 8 hex digits).
    /// </param>
    /// <param name="secret">The app secret exactly as Meta shows it.</param>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null, empty or white space.</exception>
    public AppSecret(string? appId, string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        AppId = string.IsNullOrWhiteSpace(appId) ? Fingerprint(_key) : appId;
    }

    /// <summary>The name recorded with each delivery this secret verifies.</summary>
    public string AppId { get; }

    /// <summary>The HMAC key: the secret's UTF-8 bytes.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>
    /// Parses the command-line and configuration form <c>[app-id:]secret</c>. Meta's app secrets are hex, so the first
    /// colon can only separate an app id.
    /// </summary>
    /// <exception cref="FormatException">The value is empty, or has an empty secret after the colon.</exception>
    public static AppSecret Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var appId = colon > 0 ? trimmed[..colon] : null;
        var secret = colon >= 0 ? trimmed[(colon + 1)..] : trimmed;
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new FormatException("An app secret is empty. Use the form SECRET or APP_ID:SECRET.");
        }

        return new AppSecret(appId, secret);
    }

    /// <inheritdoc/>
    /// <remarks>Never the secret itself: only <see cref="AppId"/>.</remarks>
    public override string ToString() => AppId;

    private static string Fingerprint(byte[] key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(key, hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..4]);
    }
}
