using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// The base of every object in the payload model: properties the model does not know are kept in
/// <see cref="ExtensionData"/> rather than dropped, because Meta adds new ones all the time.
/// </summary>
public abstract class PayloadObject
{
    /// <summary>Properties this model does not know, kept as sent; <see langword="null"/> when there were none.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
