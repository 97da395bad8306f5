using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>One object an app is subscribed to, as <c>GET /{app-id}/subscriptions</c> lists it.</summary>
public sealed class AppSubscription
{
    /// <summary>Meta's <c>object</c>: <c>whatsapp_business_account</c> for WhatsApp; other products list their own.</summary>
    [JsonPropertyName("object")]
    public string Object { get; init; } = "";

    /// <summary>Meta's <c>callback_url</c>: where Meta delivers this object's webhooks.</summary>
    [JsonPropertyName("callback_url")]
    public string? CallbackUrl { get; init; }

    /// <summary>Meta's <c>active</c>: whether deliveries are on.</summary>
    [JsonPropertyName("active")]
    [JsonConverter(typeof(TolerantBooleanConverter))]
    public bool Active { get; init; }

    /// <summary>Meta's <c>fields</c>: the subscribed fields, each with the Graph version its payloads are shaped by.</summary>
    [JsonPropertyName("fields")]
    public IReadOnlyList<AppSubscriptionField> Fields { get; init; } = [];

    /// <summary>Properties Meta sent that this type does not name, kept rather than dropped.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
