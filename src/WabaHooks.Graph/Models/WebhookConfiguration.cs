using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>
/// Meta's <c>webhook_configuration</c> of a phone number. <c>messages</c> webhooks go to the first callback set, in
/// the order <see cref="PhoneNumber"/>, <see cref="WhatsAppBusinessAccount"/>, <see cref="Application"/>.
/// </summary>
public sealed class WebhookConfiguration
{
    /// <summary>Meta's <c>phone_number</c>: the phone-number-level override callback, when one is set.</summary>
    [JsonPropertyName("phone_number")]
    public string? PhoneNumber { get; init; }

    /// <summary>Meta's <c>whatsapp_business_account</c>: the WABA-level override callback; present only when the WABA has one.</summary>
    [JsonPropertyName("whatsapp_business_account")]
    public string? WhatsAppBusinessAccount { get; init; }

    /// <summary>Meta's <c>application</c>: the app's callback URL.</summary>
    [JsonPropertyName("application")]
    public string? Application { get; init; }
}
