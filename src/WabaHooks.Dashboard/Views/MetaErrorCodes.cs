using System.Collections.Frozen;

namespace WabaHooks.Dashboard.Views;

/// <summary>
/// What the Meta error codes seen most in WhatsApp statuses and value errors mean, and what to do about them, in
/// our words. A code not listed is shown with Meta's own title.
/// </summary>
public static class MetaErrorCodes
{
    private static readonly FrozenDictionary<int, string> Meanings = new Dictionary<int, string>
    {
        [130429] = "Rate limit hit: the phone number sent more messages per second than its Cloud API throughput allows. Slow down and retry with backoff.",
        [130472] = "The user's number is part of an experiment: Meta did not deliver this marketing message.",
        [131000] = "Something went wrong at Meta. Retry later.",
        [131005] = "Access denied: the access token lacks the permission (whatsapp_business_messaging) or was revoked.",
        [131008] = "A required parameter is missing from the request.",
        [131009] = "A parameter value is not valid.",
        [131016] = "The service is temporarily unavailable. Retry later.",
        [131021] = "The recipient is the sender's own phone number.",
        [131026] = "Message undeliverable: the recipient is not on WhatsApp, has not accepted the latest terms, uses an old app version, or cannot receive from this business.",
        [131031] = "The business account is locked or restricted (policy violation or failed verification).",
        [131042] = "A payment problem on the WhatsApp Business Account (no valid payment method, credit line over limit).",
        [131045] = "The phone number is not registered with the Cloud API (certificate missing).",
        [131047] = "Re-engagement message: more than 24 hours since the customer last wrote, so only an approved template may be sent.",
        [131048] = "Spam rate limit hit: too many of this number's messages were blocked or reported. Messaging is limited for a while.",
        [131049] = "Meta chose not to deliver this message to keep engagement healthy (per-user marketing limit). Do not retry at once.",
        [131050] = "The user has stopped marketing messages from this business.",
        [131051] = "Unsupported message type.",
        [131052] = "Media download error: the media the user sent could not be fetched.",
        [131053] = "Media upload error: the media could not be uploaded or its type is not supported.",
        [131056] = "Pair rate limit: too many messages to the same recipient in a short time. Wait before sending to them again.",
        [131057] = "The account is in maintenance mode (for example while its throughput is upgraded).",
        [132000] = "The number of template parameters does not match the template.",
        [132001] = "The template does not exist in this language, or is not approved yet.",
        [132005] = "The template's text is too long once its parameters are filled in.",
        [132007] = "The template's content breaks a WhatsApp policy.",
        [132012] = "A template parameter has the wrong format.",
        [132015] = "The template is paused for low quality.",
        [132016] = "The template is disabled for low quality.",
        [133010] = "The phone number is not registered with WhatsApp Business.",
        [368] = "Temporarily blocked for policy violations.",
        [470] = "Re-engagement message (older code for 131047): outside the 24-hour window, send a template.",
    }.ToFrozenDictionary();

    /// <summary>What <paramref name="code"/> means, or <see langword="null"/> when it is not one of the common ones.</summary>
    public static string? Explain(int code) => Meanings.GetValueOrDefault(code);
}
