using System.Net;
using System.Text.Json;

namespace WabaHooks.Graph;

/// <summary>
/// Removes the secrets the client sends — access tokens, the app secret inside an app access token, verify tokens —
/// from text that leaves the client. Graph itself echoes a malformed token or a rejected parameter in some error
/// messages, so even Meta's own words pass through here.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>
    /// Shorter values are left alone: masking a verify token such as <c>v</c> would blank every <c>v</c> in Meta's
    /// message and hide nothing worth hiding.
    /// </summary>
    public const int MinimumLength = 6;

    private readonly string?[] _tokens;
    private readonly string[] _secrets;

    public SecretRedactor(params string?[] tokens)
    {
        _tokens = tokens;

        // A secret may come back as it was sent — URL-encoded in a query, form-encoded in a form body, escaped in a JSON
        // body — so each form is masked. The secret half of an app token ({app-id}|{app-secret}) is a secret on its
        // own; the app id is not.
        _secrets = tokens
            .Where(t => !string.IsNullOrEmpty(t))
            .SelectMany(t => t!.Contains('|', StringComparison.Ordinal) ? [t, t[(t.IndexOf('|', StringComparison.Ordinal) + 1)..]] : new[] { t })
            .Where(s => s.Length >= MinimumLength)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s), WebUtility.UrlEncode(s), JsonEncodedText.Encode(s).ToString() })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>This redactor plus secrets of one call, such as the verify token it sends.</summary>
    public SecretRedactor With(params string?[] callSecrets) => new([.. _tokens, .. callSecrets]);

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
