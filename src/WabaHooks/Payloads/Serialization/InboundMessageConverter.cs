using System.Text.Json;
using System.Text.Json.Serialization;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// Reads a message into the <see cref="InboundMessage"/> subclass its <c>type</c> names, wherever <c>type</c> appears
/// in the object (Meta's location sample puts it last, which the built-in polymorphism would reject). An unknown or
/// missing type gives an <see cref="UnknownMessage"/> holding the raw JSON.
/// </summary>
public sealed class InboundMessageConverter : JsonConverter<InboundMessage>
{
    /// <inheritdoc />
    public override InboundMessage? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a message object, found {reader.TokenType}.");
        }

        return Read(ref reader, FindType(reader));
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, InboundMessage value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        if (value is UnknownMessage unknown && unknown.Raw.ValueKind != JsonValueKind.Undefined)
        {
            unknown.Raw.WriteTo(writer);
            return;
        }

        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));
    }

    /// <summary>Reads the message at the reader's <c>StartObject</c> as the subclass for <paramref name="type"/>.</summary>
    internal static InboundMessage? Read(ref Utf8JsonReader reader, string? type)
    {
        var context = WhatsAppJsonContext.Default;
        return type switch
        {
            MessageTypes.Text => JsonSerializer.Deserialize(ref reader, context.TextMessage),
            MessageTypes.Image => JsonSerializer.Deserialize(ref reader, context.ImageMessage),
            MessageTypes.Audio => JsonSerializer.Deserialize(ref reader, context.AudioMessage),
            MessageTypes.Video => JsonSerializer.Deserialize(ref reader, context.VideoMessage),
            MessageTypes.Document => JsonSerializer.Deserialize(ref reader, context.DocumentMessage),
            MessageTypes.Sticker => JsonSerializer.Deserialize(ref reader, context.StickerMessage),
            MessageTypes.Location => JsonSerializer.Deserialize(ref reader, context.LocationMessage),
            MessageTypes.Contacts => JsonSerializer.Deserialize(ref reader, context.ContactsMessage),
            MessageTypes.Interactive => JsonSerializer.Deserialize(ref reader, context.InteractiveMessage),
            MessageTypes.Button => JsonSerializer.Deserialize(ref reader, context.ButtonMessage),
            MessageTypes.Reaction => JsonSerializer.Deserialize(ref reader, context.ReactionMessage),
            MessageTypes.Order => JsonSerializer.Deserialize(ref reader, context.OrderMessage),
            MessageTypes.System => JsonSerializer.Deserialize(ref reader, context.SystemMessage),
            MessageTypes.Unsupported => JsonSerializer.Deserialize(ref reader, context.UnsupportedMessage),
            MessageTypes.Edit => JsonSerializer.Deserialize(ref reader, context.EditMessage),
            MessageTypes.Revoke => JsonSerializer.Deserialize(ref reader, context.RevokeMessage),
            _ => ReadUnknown(ref reader),
        };
    }

    /// <summary>Finds the modelled <c>type</c> of the object at <paramref name="reader"/> (a copy: the caller's position is kept).</summary>
    internal static string? FindType(Utf8JsonReader reader)
    {
        // The copy scans only up to "type", which Meta puts before the bulky content in all but one sample.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.TextEquals("type"u8);
            reader.Read();
            if (isType)
            {
                return MessageTypes.Match(ref reader);
            }

            reader.Skip();
        }

        return null;
    }

    private static UnknownMessage ReadUnknown(ref Utf8JsonReader reader)
    {
        var raw = JsonElement.ParseValue(ref reader);
        var message = raw.Deserialize(WhatsAppJsonContext.Default.UnknownMessage) ?? new UnknownMessage();
        message.Raw = raw;
        return message;
    }
}
