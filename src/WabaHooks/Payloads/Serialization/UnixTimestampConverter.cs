using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// Reads a Unix time in seconds written either as a JSON number or as a string of digits: Meta uses strings under
/// <c>messages</c> and integers in account and template fields (§2.1, §9).
/// </summary>
/// <remarks>
/// A value that is neither (or out of range) reads as <see langword="null"/> rather than failing the whole item: the raw
/// JSON stays available on the event. Writes the string form, as the <c>messages</c> family does.
/// </remarks>
public sealed class UnixTimestampConverter : JsonConverter<DateTimeOffset?>
{
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TryRead(ref reader, out var value)
            ? value
            : throw new JsonException($"Expected a Unix timestamp (number or string), found {reader.TokenType}.");

    /// <summary>Reads the token as <see cref="Read(ref Utf8JsonReader, Type, JsonSerializerOptions)"/> does; false (instead of throwing) when it is no timestamp at all.</summary>
    internal static bool TryRead(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    value = FromSeconds(whole);
                }
                else if (reader.TryGetDouble(out var fractional) && double.IsFinite(fractional))
                {
                    value = FromSeconds((long)fractional);
                }

                return true;
            case JsonTokenType.String:
                value = TryParseDigits(ref reader, out var seconds) ? FromSeconds(seconds) : null;
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time)
        {
            writer.WriteStringValue(time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static bool TryParseDigits(ref Utf8JsonReader reader, out long seconds)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped)
        {
            var span = reader.ValueSpan;
            return Utf8Parser.TryParse(span, out seconds, out var consumed) && consumed == span.Length;
        }

        return long.TryParse(JsonText.Read(in reader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds);
    }

    internal static DateTimeOffset? FromSeconds(long seconds) =>
        seconds is >= MinSeconds and <= MaxSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
