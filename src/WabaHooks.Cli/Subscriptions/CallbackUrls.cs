namespace WabaHooks.Cli.Subscriptions;

/// <summary>Checks a callback URL option before anything is sent, so a typo fails here and not as Graph code 100.</summary>
internal static class CallbackUrls
{
    /// <summary>Meta's limit on <c>override_callback_uri</c> (reference §5.3, §5.4).</summary>
    public const int MaxOverrideLength = 200;

    public static Uri? Parse(string? value, string option, bool isOverride, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{option} is required.");
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{option} must be an absolute https URL, such as https://example.com/webhooks/whatsapp (was '{value}').");
            return null;
        }

        if (isOverride && value.Length > MaxOverrideLength)
        {
            errors.Add($"{option} may be at most {MaxOverrideLength} characters (Meta's limit on override_callback_uri); this one has {value.Length}.");
            return null;
        }

        return url;
    }
}
