using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary>The typed <c>value</c> of one change. Each subscribed field has its own subclass.</summary>
public abstract class FieldValue : PayloadObject;

/// <summary>A value that carries the phone number it concerns (<c>messages</c> and the coexistence fields).</summary>
public interface IPhoneNumberValue
{
    /// <summary>The business phone number the value concerns.</summary>
    Metadata? Metadata { get; }
}

/// <summary>The value of a field this library does not model. Nothing is dropped: <see cref="Raw"/> holds it all.</summary>
public sealed class UnknownFieldValue : FieldValue
{
    /// <summary>The field name as sent.</summary>
    [JsonIgnore]
    public string Field { get; internal set; } = "";

    /// <summary>The whole value as sent.</summary>
    [JsonIgnore]
    public JsonElement Raw { get; internal set; }
}

/// <summary>
/// Stands in for a message, status or value whose JSON does not fit the typed model (a property of an unexpected JSON
/// type, say). The event keeps its type name and key; this keeps the JSON and the reason.
/// </summary>
/// <param name="Raw">The item's JSON as sent.</param>
/// <param name="Error">Why it did not fit.</param>
public sealed record UnparsedPayload(JsonElement Raw, string Error);
