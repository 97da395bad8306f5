using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// Reads a value that Meta documents as a string but sometimes sends as a number (for example
/// <c>max_daily_conversations_per_business</c>: <c>"TIER_2K"</c> in the enum, <c>2000</c> in the example). Numbers and
/// booleans keep their JSON text.
/// </summary>
public sealed class StringOrNumberConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.HasValueSequence
            ? Encoding.UTF8.GetString(reader.ValueSequence)
            : Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string or a number, found {reader.TokenType}."),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
