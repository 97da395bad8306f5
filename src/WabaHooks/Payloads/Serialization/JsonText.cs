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
}
