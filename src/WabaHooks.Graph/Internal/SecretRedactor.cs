namespace WabaHooks.Graph;

/// <summary>
/// Removes access tokens from text that leaves the client. Graph itself echoes a malformed token in some error
/// messages, so even Meta's own words pass through here.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "[redacted]";

    private readonly string[] _secrets;

    public SecretRedactor(params string?[] tokens)
    {
        // A token may come back URL-encoded, as it was sent in a form or query.
        // The secret half of an app token ({app-id}|{app-secret}) is a secret on its own; the app id is not.
        _secrets = tokens
            .Where(t => !string.IsNullOrEmpty(t))
            .SelectMany(t => t!.Contains('|', StringComparison.Ordinal) ? [t, t[(t.IndexOf('|', StringComparison.Ordinal) + 1)..]] : new[] { t })
            .Where(s => s.Length > 0)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);
}
