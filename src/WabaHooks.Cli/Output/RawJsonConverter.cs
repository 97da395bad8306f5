using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Cli.Output;

/// <summary>
/// Writes stored JSON bytes into the output as they are: a <see cref="JsonElement"/> would be re-escaped and
/// re-indented by the writer, and <c>--json</c> promises the exact item Meta sent.
/// </summary>
internal sealed class RawJsonConverter : JsonConverter<ReadOnlyMemory<byte>>
{
    public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return JsonSerializer.SerializeToUtf8Bytes(document.RootElement, OutputJsonContext.Default.JsonElement);
    }

    public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Span, skipInputValidation: false);
}
