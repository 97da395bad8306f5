using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>The answer to <c>GET /{phone-number-id}?fields=webhook_configuration</c>.</summary>
public sealed class PhoneNumberWebhookConfiguration
{
    /// <summary>Meta's <c>id</c>: the phone-number id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Meta's <c>webhook_configuration</c>: the callbacks in force at each level.</summary>
    [JsonPropertyName("webhook_configuration")]
    public WebhookConfiguration? WebhookConfiguration { get; init; }
}
