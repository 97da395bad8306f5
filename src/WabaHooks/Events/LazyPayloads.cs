using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WabaHooks.Payloads;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Events;

/// <summary>What a lazily read <see cref="WabaEvent.Payload"/> is read as.</summary>
internal enum LazyPayload : byte
{
    /// <summary>Not lazy: the payload was set when the event was built.</summary>
    None,

    /// <summary>A <c>messages[]</c> item.</summary>
    Message,

    /// <summary>A <c>statuses[]</c> item.</summary>
    Status,

    /// <summary>The <c>errors</c> of a <c>messages</c> or <c>calls</c> value (the raw JSON is the whole value).</summary>
    Errors,

    /// <summary>A <c>calls[]</c> item with <c>event: "connect"</c>.</summary>
    CallConnect,

    /// <summary>A <c>calls[]</c> item with <c>event: "terminate"</c>.</summary>
    CallTerminate,

    /// <summary>A <c>calls[]</c> item with <c>event: "call_created"</c>.</summary>
    CallCreated,

    /// <summary>A <c>calls[]</c> item with <c>event: "call_recording_available"</c>.</summary>
    CallRecordingAvailable,

    /// <summary>A <c>calls[]</c> item with <c>event: "call_transcription_available"</c>.</summary>
    CallTranscriptionAvailable,

    /// <summary>A <c>calls[]</c> item with any other (or no) <c>event</c>.</summary>
    CallUnknown,

    /// <summary>A <c>statuses[]</c> item with <c>type: "call"</c>.</summary>
    CallStatus,

    /// <summary>An <c>automatic_events[]</c> item.</summary>
    AutomaticEvent,

    /// <summary>An <c>events[]</c> item of <c>tracking_events</c>.</summary>
    TrackingEvent,

    /// <summary>A <c>user_id_update[]</c> item.</summary>
    UserIdChange,

    /// <summary>A <c>groups[]</c> item of a group field.</summary>
    GroupChange,
}

/// <summary>
/// Deserialises an item's payload from its raw JSON exactly as the splitter used to do eagerly, so a read gives the same
/// typed object or <see cref="UnparsedPayload"/> (with the same error) that splitting did.
/// </summary>
internal static class LazyPayloads
{
    // The classifier accepts up to this depth at receipt; reading must not reject what the inbox accepted as JSON.
    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    public static object Read(LazyPayload source, ReadOnlyMemory<byte> raw) => source switch
    {
        LazyPayload.Message => ReadMessage(raw.Span),
        LazyPayload.Status => ReadStatus(raw.Span),
        LazyPayload.Errors => ReadErrors(raw.Span),
        LazyPayload.CallConnect => ReadItem(raw.Span, WhatsAppJsonContext.Default.CallConnect, "calls[]"),
        LazyPayload.CallTerminate => ReadItem(raw.Span, WhatsAppJsonContext.Default.CallTerminate, "calls[]"),
        LazyPayload.CallCreated => ReadItem(raw.Span, WhatsAppJsonContext.Default.CallCreated, "calls[]"),
        LazyPayload.CallRecordingAvailable => ReadItem(raw.Span, WhatsAppJsonContext.Default.CallRecordingAvailable, "calls[]"),
        LazyPayload.CallTranscriptionAvailable => ReadItem(raw.Span, WhatsAppJsonContext.Default.CallTranscriptionAvailable, "calls[]"),
        LazyPayload.CallUnknown => ReadItem(raw.Span, WhatsAppJsonContext.Default.UnknownCallEvent, "calls[]"),
        LazyPayload.CallStatus => ReadItem(raw.Span, WhatsAppJsonContext.Default.CallStatus, "statuses[]"),
        LazyPayload.AutomaticEvent => ReadItem(raw.Span, WhatsAppJsonContext.Default.AutomaticEvent, "automatic_events[]"),
        LazyPayload.TrackingEvent => ReadItem(raw.Span, WhatsAppJsonContext.Default.TrackingEvent, "events[]"),
        LazyPayload.UserIdChange => ReadItem(raw.Span, WhatsAppJsonContext.Default.UserIdChange, "user_id_update[]"),
        LazyPayload.GroupChange => ReadItem(raw.Span, WhatsAppJsonContext.Default.GroupChange, "groups[]"),
        _ => throw new InvalidOperationException("The event has no lazily read payload."),
    };

    private static object ReadMessage(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        var error = "the messages[] item is not an object";
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            try
            {
                if (InboundMessageConverter.Read(ref reader, InboundMessageConverter.FindType(reader)) is { } message)
                {
                    return message;
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // The converter is called directly, not through the serializer, so a string that is not valid text
                // (a lone surrogate escape, bytes that are not UTF-8) surfaces as InvalidOperationException.
                error = ex.Message;
            }
        }

        return new UnparsedPayload(ParseElement(json), error);
    }

    private static object ReadStatus(ReadOnlySpan<byte> json)
    {
        string? error = null;
        try
        {
            if (JsonSerializer.Deserialize(json, WhatsAppJsonContext.Default.MessageStatus) is { } status)
            {
                return status;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = ex.Message;
        }

        return new UnparsedPayload(ParseElement(json), error ?? "the statuses[] item is null");
    }

    /// <summary>An item read through the serializer; an <see cref="UnparsedPayload"/> when it does not fit <typeparamref name="T"/>.</summary>
    private static object ReadItem<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, string array)
        where T : class
    {
        string? error = null;
        try
        {
            if (JsonSerializer.Deserialize(json, typeInfo) is { } item)
            {
                return item;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = ex.Message;
        }

        return new UnparsedPayload(ParseElement(json), error ?? $"the {array} item is null");
    }

    private static object ReadErrors(ReadOnlySpan<byte> value)
    {
        var errors = FindErrors(value);
        try
        {
            return JsonSerializer.Deserialize(errors, WhatsAppJsonContext.Default.IReadOnlyListWhatsAppError) ?? [];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new UnparsedPayload(ParseElement(errors), ex.Message);
        }
    }

    /// <summary>The last <c>errors</c> property of a <c>messages</c> or <c>calls</c> value, as the split chose it.</summary>
    private static ReadOnlySpan<byte> FindErrors(ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value, ReaderOptions);
        reader.Read();
        var errors = ReadOnlySpan<byte>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isErrors = reader.TextEquals("errors"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isErrors)
            {
                errors = value[start..(int)reader.BytesConsumed];
            }
        }

        return errors;
    }

    internal static JsonElement ParseElement(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        return JsonElement.ParseValue(ref reader);
    }
}
