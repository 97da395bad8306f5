using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>One app subscribed to a WABA, as <c>GET /{waba-id}/subscribed_apps</c> lists it.</summary>
public sealed class WabaSubscribedApp
{
    /// <summary>Meta's <c>whatsapp_business_api_data</c>: the subscribed app.</summary>
    [JsonPropertyName("whatsapp_business_api_data")]
    public WhatsAppBusinessApiData? WhatsAppBusinessApiData { get; init; }

    /// <summary>Meta's <c>override_callback_uri</c>: the WABA-level callback for <c>messages</c>, when one is set.</summary>
    [JsonPropertyName("override_callback_uri")]
    public string? OverrideCallbackUri { get; init; }

    /// <summary>Properties Meta sent that this type does not name, kept rather than dropped.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
