using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>One subscribed field of an <see cref="AppSubscription"/>.</summary>
public sealed class AppSubscriptionField
{
    /// <summary>Meta's <c>name</c>: the field, such as <c>messages</c>.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>
    /// Meta's <c>version</c>: the Graph API version that shapes this field's payloads (v24.0 payloads differ from v23.0).
    /// </summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }
}
