using System.Globalization;
using System.Text;

namespace WabaHooks.Signatures;

/// <summary>
/// A Meta app's secret (App Dashboard &gt; App settings &gt; Basic), with the name under which deliveries signed by it
/// are recorded. Several are configured when several Meta apps point at one endpoint, or during a secret rotation.
/// </summary>
public sealed class AppSecret
{
    /// <summary>
    /// The name of a secret configured without an app id, until it is numbered by its position
    /// (<see cref="NameByPosition"/>).
    /// </summary>
    public const string UnnamedAppId = "secret";

    private readonly byte[] _key;
    private byte[]? _testMarkKey;

    /// <summary>Creates an app secret.</summary>
    /// <param name="appId">
    /// The name recorded with each delivery this secret verifies, usually the Meta app id. When <see langword="null"/>,
    /// <see cref="UnnamedAppId"/>; in a list of secrets, <see cref="NameByPosition"/> makes it <c>secret-N</c>.
    /// </param>
    /// <param name="secret">The app secret exactly as Meta shows it.</param>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null, empty or white space.</exception>
    public AppSecret(string? appId, string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        HasAppId = !string.IsNullOrWhiteSpace(appId);
        AppId = HasAppId ? appId! : UnnamedAppId;
    }

    private AppSecret(string appId, byte[] key)
    {
        _key = key;
        AppId = appId;
    }

    /// <summary>Whether the secret was given with an app id (<c>APP_ID:SECRET</c>) rather than alone.</summary>
    public bool HasAppId { get; }

    /// <summary>The name recorded with each delivery this secret verifies.</summary>
    public string AppId { get; }

    /// <summary>The HMAC key: the secret's UTF-8 bytes.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>The key of <see cref="TestMark"/>, derived on first use: most secrets never see a test mark.</summary>
    internal ReadOnlySpan<byte> TestMarkKey => _testMarkKey ??= TestMark.DeriveKey(_key);

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

    /// <summary>
    /// Names each secret given without an app id by its position among <paramref name="secrets"/>:
    /// <c>secret-1</c>, <c>secret-2</c>, …; secrets with an app id keep it.
    /// </summary>
    /// <remarks>
    /// The name is printed (the serve banner) and stored with every delivery, so it must not let anyone who sees it test
    /// guesses of the secret offline, as a hash of the secret would (a weak secret falls to a dictionary). A number
    /// carries nothing of the secret, needs no key to keep, is the same on every instance that shares a configuration
    /// (a keyed hash would need its key shared between instances), and stays the same across restarts as long as the
    /// configuration does. Give <c>APP_ID:SECRET</c> for a name that survives reordering.
    /// </remarks>
    /// <param name="secrets">The configured secrets, in configuration order.</param>
    /// <returns>The same secrets in the same order, the unnamed ones named.</returns>
    public static IReadOnlyList<AppSecret> NameByPosition(IEnumerable<AppSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return [.. secrets.Select((s, i) => s.HasAppId ? s : new AppSecret(UnnamedAppId + "-" + (i + 1).ToString(CultureInfo.InvariantCulture), s._key))];
    }
}
