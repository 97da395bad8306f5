using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using WabaHooks.Inbox;
using WabaHooks.Payloads;

namespace WabaHooks.Events;

/// <summary>
/// One forward pass over a delivery with a <see cref="Utf8JsonReader"/>: it records where every change value, message
/// and status lies, then deserialises each from its own slice. Positions are kept rather than objects because
/// <c>field</c> may follow <c>value</c>, and <c>entry.id</c>/<c>time</c> may follow <c>changes</c>, while each key needs them.
/// </summary>
internal sealed class DeliveryWalker(ReadOnlyMemory<byte> body, long deliveryId, List<WabaEvent> events)
{
    // The classifier accepts up to this depth at receipt; splitting must not reject what the inbox accepted as JSON.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    private readonly List<PendingChange> _changes = [];
    private readonly List<Slice> _messages = [];
    private readonly List<Slice> _statuses = [];
    private readonly List<InboundMessage> _parsedMessages = [];
    private readonly List<MessageStatus> _parsedStatuses = [];
    private string? _malformed;

    public SplitFailure Walk()
    {
        var reader = new Utf8JsonReader(body.Span, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            return SplitFailure.UnexpectedObject;
        }

        var isWhatsApp = false;
        var sawObject = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                sawObject = true;
                isWhatsApp = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(DeliveryClassifier.WhatsAppBusinessAccount);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("entry"u8) && (isWhatsApp || !sawObject))
            {
                reader.Read();
                ReadEntries(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);
        if (!isWhatsApp)
        {
            return SplitFailure.UnexpectedObject;
        }

        return _malformed is null ? SplitFailure.None : throw new MalformedEnvelopeException(_malformed);
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        // Trailing bytes after the top-level value make the reader throw here, so such a body counts as not JSON.
        while (reader.Read())
        {
        }
    }

    private void ReadEntries(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            _malformed ??= "entry is not an array";
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                _malformed ??= "entry[] holds something other than an object";
                reader.Skip();
                continue;
            }

            var entryId = "";
            long? time = null;
            _changes.Clear();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    entryId = ReadText(ref reader) ?? "";
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    time = ReadSeconds(ref reader);
                }
                else if (reader.ValueTextEquals("changes"u8))
                {
                    reader.Read();
                    ReadChanges(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (_malformed is null)
            {
                foreach (var change in _changes)
                {
                    Emit(entryId, time, change);
                }
            }
        }
    }

    private void ReadChanges(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            _malformed ??= "changes is not an array";
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                _malformed ??= "changes[] holds something other than an object";
                reader.Skip();
                continue;
            }

            var field = "";
            var value = default(Slice);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("field"u8))
                {
                    reader.Read();
                    field = reader.TokenType == JsonTokenType.String ? WhatsAppFields.Read(ref reader) : ReadText(ref reader) ?? "";
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    value = Capture(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            _changes.Add(new PendingChange(field, value));
        }
    }

    private void Emit(string entryId, long? time, PendingChange change)
    {
        var value = body.Slice(change.Value.Start, change.Value.Length);
        if (change.Field == WhatsAppFields.Messages && !value.IsEmpty && value.Span[0] == (byte)'{')
        {
            EmitMessagesValue(entryId, time, value);
        }
        else
        {
            EmitChange(entryId, time, change.Field, value, null);
        }
    }

    private void EmitChange(string entryId, long? time, string field, ReadOnlyMemory<byte> value, Metadata? metadata)
    {
        var span = value.Span;
        object payload;
        string type;
        string? error = null;
        if (span.IsEmpty)
        {
            error = "the change has no value";
            payload = new UnparsedPayload(default, error);
            type = WabaEventTypes.ForChange(field);
        }
        else
        {
            try
            {
                var typed = WhatsAppFields.ReadValue(field, span, out var modelField);
                payload = typed;
                type = WabaEventTypes.ForChange(modelField);
                metadata ??= (typed as IPhoneNumberValue)?.Metadata;
            }
            catch (JsonException ex)
            {
                error = ex.Message;
                payload = new UnparsedPayload(ParseElement(span), error);
                type = WabaEventTypes.ForChange(WhatsAppFields.TypeNameOf(field, span));
            }
        }

        Add(new WabaEvent
        {
            Id = IdempotencyKeys.ForChange(entryId, field, time, span),
            Type = type,
            Kind = WabaEventKind.Change,
            Field = field,
            WabaId = entryId,
            PhoneNumberId = metadata?.PhoneNumberId,
            OccurredAt = FromSeconds(time),
            DeliveryId = deliveryId,
            Position = events.Count,
            Payload = payload,
            RawJson = value,
            Metadata = metadata,
            PayloadError = error,
        });
    }

    private void EmitMessagesValue(string entryId, long? time, ReadOnlyMemory<byte> value)
    {
        // Fast path: deserialise each item in place during the one walk of the value. An item that does not fit the
        // model leaves the reader unusable, so the value is then walked again and each item read from its own slice.
        try
        {
            if (WalkMessagesValue(value.Span, out var metadataSlice, out var contactsSlice, out var errorsSlice, out var oddShape, parseItems: true))
            {
                EmitMessagesValue(entryId, time, value, metadataSlice, contactsSlice, errorsSlice, oddShape);
                return;
            }
        }
        catch (JsonException)
        {
            // Fall through to the item-by-item walk below.
        }

        WalkMessagesValue(value.Span, out var metadata, out var contacts, out var errors, out var odd, parseItems: false);
        EmitMessagesValue(entryId, time, value, metadata, contacts, errors, odd);
    }

    private bool WalkMessagesValue(ReadOnlySpan<byte> json, out Slice metadataSlice, out Slice contactsSlice, out Slice errorsSlice, out bool oddShape, bool parseItems)
    {
        _messages.Clear();
        _statuses.Clear();
        _parsedMessages.Clear();
        _parsedStatuses.Clear();
        metadataSlice = contactsSlice = errorsSlice = default;
        oddShape = false;

        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                if (parseItems && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var start = (int)reader.TokenStartIndex;
                        if (reader.TokenType != JsonTokenType.StartObject
                            || InboundMessageConverter.Read(ref reader, InboundMessageConverter.FindType(reader)) is not { } message)
                        {
                            return false;
                        }

                        _parsedMessages.Add(message);
                        _messages.Add(new Slice(start, (int)reader.BytesConsumed - start));
                    }
                }
                else
                {
                    oddShape |= !CaptureItems(ref reader, _messages);
                }
            }
            else if (reader.ValueTextEquals("statuses"u8))
            {
                reader.Read();
                if (parseItems && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var start = (int)reader.TokenStartIndex;
                        if (reader.TokenType != JsonTokenType.StartObject
                            || JsonSerializer.Deserialize(ref reader, WhatsAppJsonContext.Default.MessageStatus) is not { } status)
                        {
                            return false;
                        }

                        _parsedStatuses.Add(status);
                        _statuses.Add(new Slice(start, (int)reader.BytesConsumed - start));
                    }
                }
                else
                {
                    oddShape |= !CaptureItems(ref reader, _statuses);
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                metadataSlice = Capture(ref reader);
            }
            else if (reader.ValueTextEquals("contacts"u8))
            {
                reader.Read();
                contactsSlice = Capture(ref reader);
            }
            else if (reader.ValueTextEquals("errors"u8))
            {
                reader.Read();
                errorsSlice = Capture(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return true;
    }

    private void EmitMessagesValue(string entryId, long? time, ReadOnlyMemory<byte> value, Slice metadataSlice, Slice contactsSlice, Slice errorsSlice, bool oddShape)
    {
        var metadata = ReadMetadata(value.Slice(metadataSlice.Start, metadataSlice.Length).Span);
        var contacts = contactsSlice.Length == 0 ? null : new ContactsSource(value.Slice(contactsSlice.Start, contactsSlice.Length));
        for (var i = 0; i < _messages.Count; i++)
        {
            var slice = _messages[i];
            EmitMessage(entryId, time, value.Slice(slice.Start, slice.Length), i < _parsedMessages.Count ? _parsedMessages[i] : null, metadata, contacts);
        }

        for (var i = 0; i < _statuses.Count; i++)
        {
            var slice = _statuses[i];
            EmitStatus(entryId, time, value.Slice(slice.Start, slice.Length), i < _parsedStatuses.Count ? _parsedStatuses[i] : null, metadata, contacts);
        }

        var hasErrors = IsNonEmptyArray(value.Slice(errorsSlice.Start, errorsSlice.Length).Span);
        if (hasErrors)
        {
            EmitErrors(entryId, time, value, errorsSlice, metadata);
        }

        if (oddShape || (_messages.Count == 0 && _statuses.Count == 0 && !hasErrors))
        {
            // Nothing recognisable to split: keep the whole value as one event rather than drop it.
            EmitChange(entryId, time, WhatsAppFields.Messages, value, metadata);
        }
    }

    private void EmitMessage(string entryId, long? time, ReadOnlyMemory<byte> raw, InboundMessage? message, Metadata? metadata, ContactsSource? contacts)
    {
        var span = raw.Span;
        string? modelType = message is null or UnknownMessage ? null : message.Type;
        string? error = null;
        if (message is null)
        {
            var reader = new Utf8JsonReader(span, ReaderOptions);
            reader.Read();
            error = "the messages[] item is not an object";
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                modelType = InboundMessageConverter.FindType(reader);
                try
                {
                    message = InboundMessageConverter.Read(ref reader, modelType);
                    error = null;
                }
                catch (JsonException ex)
                {
                    error = ex.Message;
                }
            }
        }

        object payload;
        string wamid;
        string type;
        if (message is not null)
        {
            payload = message;
            wamid = message.Wamid;
            type = WabaEventTypes.ForMessage(modelType, (message as InteractiveMessage)?.Interactive?.Type);
        }
        else
        {
            var element = ParseElement(span);
            payload = new UnparsedPayload(element, error ?? "the messages[] item is null");
            wamid = StringProperty(element, "id") ?? "";
            type = WabaEventTypes.ForMessage(modelType, element.ValueKind == JsonValueKind.Object && element.TryGetProperty("interactive", out var interactive) ? StringProperty(interactive, "type") : null);
        }

        Add(new WabaEvent
        {
            Id = wamid.Length > 0 ? IdempotencyKeys.ForMessage(wamid) : IdempotencyKeys.ForChange(entryId, WhatsAppFields.Messages, time, span),
            Type = type,
            Kind = WabaEventKind.Message,
            Field = WhatsAppFields.Messages,
            WabaId = entryId,
            PhoneNumberId = metadata?.PhoneNumberId,
            OccurredAt = message?.Timestamp ?? FromSeconds(time),
            DeliveryId = deliveryId,
            Position = events.Count,
            Payload = payload,
            RawJson = raw,
            Metadata = metadata,
            ContactsSource = contacts,
            PayloadError = message is null ? error : null,
        });
    }

    private void EmitStatus(string entryId, long? time, ReadOnlyMemory<byte> raw, MessageStatus? status, Metadata? metadata, ContactsSource? contacts)
    {
        var span = raw.Span;
        string? error = null;
        if (status is null)
        {
            try
            {
                status = JsonSerializer.Deserialize(span, WhatsAppJsonContext.Default.MessageStatus);
            }
            catch (JsonException ex)
            {
                error = ex.Message;
            }
        }

        object payload;
        string wamid, value;
        string? participant;
        if (status is not null)
        {
            payload = status;
            (wamid, value, participant) = (status.Wamid, status.Status, status.RecipientParticipantId);
        }
        else
        {
            var element = ParseElement(span);
            error ??= "the statuses[] item is null";
            payload = new UnparsedPayload(element, error);
            (wamid, value, participant) = (StringProperty(element, "id") ?? "", StringProperty(element, "status") ?? "", StringProperty(element, "recipient_participant_id"));
        }

        Add(new WabaEvent
        {
            Id = wamid.Length > 0 && value.Length > 0
                ? IdempotencyKeys.ForStatus(wamid, value, participant)
                : IdempotencyKeys.ForChange(entryId, WhatsAppFields.Messages, time, span),
            Type = WabaEventTypes.ForStatus(value),
            Kind = WabaEventKind.Status,
            Field = WhatsAppFields.Messages,
            WabaId = entryId,
            PhoneNumberId = metadata?.PhoneNumberId,
            OccurredAt = status?.Timestamp ?? FromSeconds(time),
            DeliveryId = deliveryId,
            Position = events.Count,
            Payload = payload,
            RawJson = raw,
            Metadata = metadata,
            ContactsSource = contacts,
            PayloadError = error,
        });
    }

    private void EmitErrors(string entryId, long? time, ReadOnlyMemory<byte> value, Slice errorsSlice, Metadata? metadata)
    {
        var errorsJson = value.Slice(errorsSlice.Start, errorsSlice.Length).Span;
        object payload;
        string? error = null;
        try
        {
            payload = JsonSerializer.Deserialize(errorsJson, WhatsAppJsonContext.Default.IReadOnlyListWhatsAppError) ?? [];
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            payload = new UnparsedPayload(ParseElement(errorsJson), error);
        }

        Add(new WabaEvent
        {
            Id = IdempotencyKeys.ForChange(entryId, WhatsAppFields.Messages, time, value.Span),
            Type = WabaEventTypes.MessagesErrors,
            Kind = WabaEventKind.Errors,
            Field = WhatsAppFields.Messages,
            WabaId = entryId,
            PhoneNumberId = metadata?.PhoneNumberId,
            OccurredAt = FromSeconds(time),
            DeliveryId = deliveryId,
            Position = events.Count,
            Payload = payload,
            RawJson = value,
            Metadata = metadata,
            PayloadError = error,
        });
    }

    private void Add(WabaEvent item) => events.Add(item);

    private static Slice Capture(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return new Slice(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>Records each item of the array at the reader; false when the value is not an array (or null).</summary>
    private static bool CaptureItems(ref Utf8JsonReader reader, List<Slice> items)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var isNull = reader.TokenType == JsonTokenType.Null;
            reader.Skip();
            return isNull;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(Capture(ref reader));
        }

        return true;
    }

    private static bool IsNonEmptyArray(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        return reader.Read() && reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>
    /// Reads <c>metadata</c> by hand: it is on every <c>messages</c> value and a serializer call per value costs more
    /// than the two strings. Anything unexpected goes through the serializer so unknown properties are still kept.
    /// </summary>
    private static Metadata? ReadMetadata(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            string? display = null, phoneNumberId = null;
            var plain = true;
            while (plain && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDisplay = reader.ValueTextEquals("display_phone_number"u8);
                var isId = !isDisplay && reader.ValueTextEquals("phone_number_id"u8);
                reader.Read();
                plain = (isDisplay || isId) && reader.TokenType == JsonTokenType.String;
                if (plain)
                {
                    (isDisplay ? ref display : ref phoneNumberId) = reader.GetString();
                }
            }

            if (plain)
            {
                return new Metadata { DisplayPhoneNumber = display, PhoneNumberId = phoneNumberId };
            }
        }

        try
        {
            return JsonSerializer.Deserialize(json, WhatsAppJsonContext.Default.Metadata);
        }
        catch (JsonException)
        {
            // Metadata only enriches the events; the raw JSON still has it.
            return null;
        }
    }

    private static JsonElement ParseElement(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        return JsonElement.ParseValue(ref reader);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String
            ? property.GetString()
            : null;

    private static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }

    private static long? ReadSeconds(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var number) ? number : null;
            case JsonTokenType.String when !reader.ValueIsEscaped:
                return Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed) && consumed == reader.ValueSpan.Length ? parsed : null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static DateTimeOffset? FromSeconds(long? seconds) => seconds is { } value ? UnixTimestampConverter.FromSeconds(value) : null;

    private readonly record struct Slice(int Start, int Length);

    private readonly record struct PendingChange(string Field, Slice Value);
}
