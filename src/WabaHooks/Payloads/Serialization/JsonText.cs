using System.Buffers;
using System.Text;
using System.Text.Json;

namespace WabaHooks.Payloads.Serialization;

/// <summary>Reads string tokens that Meta signed but that are not valid text.</summary>
internal static class JsonText
{
    /// <summary>
    /// The string at the reader, or, when it cannot be unescaped into UTF-16 (a lone surrogate escape such as
    /// <c>\ud800</c>, or raw bytes that are not UTF-8), its JSON text as written, with invalid bytes replaced.
    /// </summary>
    /// <remarks>
    /// <see cref="Utf8JsonReader.GetString"/> throws <see cref="InvalidOperationException"/> for such tokens. An ID, a
    /// field name or a phone-number ID is only compared and stored, so a stable stand-in keeps the delivery's events
    /// instead of failing the whole delivery for one odd value; the raw bytes stay in the event's JSON.
    /// </remarks>
    public static string Read(ref readonly Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        }
    }

    /// <summary>
    /// <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>, but false instead of throwing when the token
    /// escapes a lone surrogate (<c>"\ud800changes"</c>): such a name or value equals no text, so it matches nothing.
    /// </summary>
    /// <remarks>
    /// The reader unescapes before comparing and throws <see cref="InvalidOperationException"/> on an escape that is not
    /// text. Every comparison the splitter makes goes through here, so what a body splits into depends on its bytes
    /// alone — never on which comparison happened to see the odd token first.
    /// </remarks>
    public static bool TextEquals(this ref readonly Utf8JsonReader reader, ReadOnlySpan<byte> utf8Text)
    {
        try
        {
            return reader.ValueTextEquals(utf8Text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <inheritdoc cref="TextEquals(ref readonly Utf8JsonReader, ReadOnlySpan{byte})"/>
    public static bool TextEquals(this ref readonly Utf8JsonReader reader, string text)
    {
        try
        {
            return reader.ValueTextEquals(text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary><see cref="JsonProperty.NameEquals(ReadOnlySpan{byte})"/>, but false for a name that is not text.</summary>
    public static bool NameIs(this JsonProperty property, ReadOnlySpan<byte> utf8Name)
    {
        try
        {
            return property.NameEquals(utf8Name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary><see cref="JsonElement.ValueEquals(string)"/>, but false for a string that is not text.</summary>
    public static bool ValueIs(this JsonElement element, string text)
    {
        try
        {
            return element.ValueEquals(text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
