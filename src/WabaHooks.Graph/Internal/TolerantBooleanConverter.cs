using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Graph;

/// <summary>
/// Reads a Graph boolean: older samples send <c>"true"</c> as a string, so strings and 0/1 are accepted as well as
/// JSON booleans. Anything else reads as <see langword="false"/> rather than failing a whole answer.
/// </summary>
internal sealed class TolerantBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.String:
                var text = reader.GetString();
                return string.Equals(text?.Trim(), "true", StringComparison.OrdinalIgnoreCase) || text?.Trim() == "1";
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var number) && number != 0;
            default:
                reader.Skip();
                return false;
        }
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
