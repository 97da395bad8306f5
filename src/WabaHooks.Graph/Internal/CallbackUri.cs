namespace WabaHooks.Graph;

/// <summary>Checks a callback URL before Meta sees it, so a bad one fails here with a clear message instead of code 100.</summary>
internal static class CallbackUri
{
    /// <summary>Meta's limit on <c>override_callback_uri</c> (reference §5.3, §5.4).</summary>
    public const int MaxOverrideLength = 200;

    public static string RequireOverride(string? overrideCallbackUri, string parameterName)
    {
        var value = RequireAbsoluteHttp(overrideCallbackUri, parameterName);
        if (value.Length > MaxOverrideLength)
        {
            throw new ArgumentException(
                $"An override callback URI may be at most {MaxOverrideLength} characters long; this one has {value.Length}. Use a shorter path.",
                parameterName);
        }

        return value;
    }

    public static string RequireAbsoluteHttp(string? callbackUrl, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(callbackUrl))
        {
            throw new ArgumentException("A callback URL is required.", parameterName);
        }

        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException(
                $"A callback URL must be an absolute https (or http) URL, such as https://example.com/webhooks/whatsapp; got '{callbackUrl}'.",
                parameterName);
        }

        return callbackUrl;
    }
}
