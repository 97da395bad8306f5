using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>Meta's <c>whatsapp_business_api_data</c>: the app behind a WABA subscription.</summary>
public sealed class WhatsAppBusinessApiData
{
    /// <summary>Meta's <c>id</c>: the app id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Meta's <c>name</c>: the app's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Meta's <c>link</c>: the app's link.</summary>
    [JsonPropertyName("link")]
    public string? Link { get; init; }
}
