using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using WabaHooks.Inbox;
using WabaHooks.Payloads;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Events;

/// <summary>
/// One forward pass over a delivery with a <see cref="Utf8JsonReader"/>. A change value that is an object is scanned
/// as a <c>messages</c> or <c>calls</c> value while it is read, because <c>field</c> usually follows <c>value</c>: the
/// scan records where each message, call and status lies and reads only what the event needs (ID, type or event,
/// status, timestamp); the payload itself is deserialised when first read (<see cref="LazyPayloads"/>). Events are
/// built when the entry ends, because <c>entry.id</c>/<c>time</c> may follow <c>changes</c>, and a scan is dropped if
/// <c>field</c> turns out to be another.
/// </summary>
/// <remarks>
/// One walker per thread is reused, so its lists and buffers are not allocated per delivery; nothing in a walk calls
/// out, so a walk cannot re-enter.
/// </remarks>
internal sealed class DeliveryWalker
{
    [ThreadStatic]
    private static DeliveryWalker? t_cached;

    private readonly List<PendingChange> _changes = [];
    private readonly List<ItemScan> _items = [];

    // The unescaped text of the IDs and statuses of the current entry's items, so that a key costs only its own string.
    private char[] _chars = new char[512];
    private int _charCount;

    // Strings that repeat across deliveries (the WABA and phone number IDs); reused when the bytes match, never mutated.
    private string? _lastEntryId;
    private string? _lastDisplayPhoneNumber;
    private string? _lastPhoneNumberId;

    private ReadOnlyMemory<byte> _body;
    private long _deliveryId;
    private bool _isTest;
    private List<WabaEvent> _events = [];
    private string? _malformed;

    public static SplitFailure Walk(ReadOnlyMemory<byte> body, long deliveryId, bool isTest, List<WabaEvent> events)
    {
        var walker = t_cached ?? new DeliveryWalker();
        t_cached = null;
        walker._body = body;
        walker._deliveryId = deliveryId;
        walker._isTest = isTest;
        walker._events = events;
        try
        {
            return walker.Walk();
        }
        finally
        {
            walker.Reset();
            t_cached = walker;
        }
    }

    private void Reset()
    {
        _body = default;
        _events = [];
        _malformed = null;
        _changes.Clear();
        _items.Clear();
        _charCount = 0;
        if (_chars.Length > 4096)
        {
            // One delivery with huge IDs should not pin a huge buffer to the thread.
            _chars = new char[512];
        }
    }

    private SplitFailure Walk()
    {
        var reader = new Utf8JsonReader(_body.Span, LazyPayloads.ReaderOptions);
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
            if (reader.TextEquals("object"u8))
            {
                reader.Read();
                sawObject = true;
                isWhatsApp = reader.TokenType == JsonTokenType.String && reader.TextEquals(DeliveryClassifier.WhatsAppBusinessAccount);
                reader.Skip();
            }
            else if (reader.TextEquals("entry"u8) && (isWhatsApp || !sawObject))
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
            _items.Clear();
            _charCount = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.TextEquals("id"u8))
                {
                    reader.Read();
                    entryId = reader.TokenType == JsonTokenType.String ? Reuse(ref reader, ref _lastEntryId) : ReadText(ref reader) ?? "";
                }
                else if (reader.TextEquals("time"u8))
                {
                    reader.Read();
                    time = ReadSeconds(ref reader);
                }
                else if (reader.TextEquals("changes"u8))
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
                for (var i = 0; i < _changes.Count; i++)
                {
                    Emit(entryId, time, _changes[i]);
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

            string? field = null;
            var change = new PendingChange { ItemsStart = _items.Count, ItemsEnd = _items.Count };
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.TextEquals("field"u8))
                {
                    reader.Read();
                    field = reader.TokenType == JsonTokenType.String ? WhatsAppFields.Read(ref reader) : ReadText(ref reader) ?? "";
                }
                else if (reader.TextEquals("value"u8))
                {
                    reader.Read();

                    // A repeated value replaces the earlier one, as a second property of the same name does everywhere.
                    _items.RemoveRange(change.ItemsStart, _items.Count - change.ItemsStart);
                    change = new PendingChange { ItemsStart = _items.Count };
                    if (reader.TokenType == JsonTokenType.StartObject && (field is null || IsSplitField(field)))
                    {
                        ScanSplitValue(ref reader, 0, ref change);
                    }
                    else
                    {
                        change.Value = Capture(ref reader, 0);
                    }

                    change.ItemsEnd = _items.Count;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            change.Field = field ?? "";
            _changes.Add(change);
        }
    }

    /// <summary>The fields whose value is split per item: <c>messages</c> and <c>calls</c>.</summary>
    private static bool IsSplitField(string field) => field == WhatsAppFields.Messages || field == WhatsAppFields.Calls;

    /// <summary>
    /// Reads the <c>messages</c>- or <c>calls</c>-shaped value at the reader's <c>StartObject</c>, recording its parts and
    /// items; which items count is decided when the field is known. <paramref name="offset"/> turns the reader's
    /// positions into the body's.
    /// </summary>
    private void ScanSplitValue(ref Utf8JsonReader reader, int offset, ref PendingChange change)
    {
        var start = offset + (int)reader.TokenStartIndex;
        change.Scanned = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.TextEquals("messages"u8))
            {
                reader.Read();
                change.OddMessages |= !ScanItems(ref reader, offset, WabaEventKind.Message);
            }
            else if (reader.TextEquals("statuses"u8))
            {
                reader.Read();
                change.OddStatuses |= !ScanItems(ref reader, offset, WabaEventKind.Status);
            }
            else if (reader.TextEquals("calls"u8))
            {
                reader.Read();
                change.OddCalls |= !ScanItems(ref reader, offset, WabaEventKind.Call);
            }
            else if (reader.TextEquals("metadata"u8))
            {
                reader.Read();
                change.Metadata = Capture(ref reader, offset);
            }
            else if (reader.TextEquals("contacts"u8))
            {
                reader.Read();
                change.Contacts = Capture(ref reader, offset);
            }
            else if (reader.TextEquals("errors"u8))
            {
                reader.Read();
                change.Errors = Capture(ref reader, offset);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        change.Value = new Slice(start, offset + (int)reader.BytesConsumed - start);
    }

    /// <summary>Scans each item of the array at the reader; false when the value is not an array (or null).</summary>
    private bool ScanItems(ref Utf8JsonReader reader, int offset, WabaEventKind kind)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var isNull = reader.TokenType == JsonTokenType.Null;
            reader.Skip();
            return isNull;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            var item = new ItemScan
            {
                Kind = kind,
                Type = kind switch
                {
                    WabaEventKind.Message => WabaEventTypes.MessagesUnknown,
                    WabaEventKind.Call => WabaEventTypes.CallsUnknown,
                    _ => WabaEventTypes.StatusesUnknown,
                },
                Payload = kind == WabaEventKind.Call ? LazyPayload.CallUnknown : LazyPayload.None,
                Id = Text.Absent,
                Status = Text.Absent,
                Participant = Text.Absent,
                Event = Text.Absent,
            };
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
            }
            else if (kind == WabaEventKind.Message)
            {
                ScanMessage(ref reader, ref item);
            }
            else if (kind == WabaEventKind.Call)
            {
                ScanCall(ref reader, ref item);
            }
            else
            {
                ScanStatus(ref reader, ref item);
            }

            item.Raw = new Slice(offset + start, (int)reader.BytesConsumed - start);
            _items.Add(item);
        }

        return true;
    }

    /// <summary>
    /// What a message event needs without deserialising the message: the wamid (last <c>id</c>, as the serializer
    /// keeps), the type the converter dispatches on (first <c>type</c>), the interactive reply type and the timestamp.
    /// </summary>
    private void ScanMessage(ref Utf8JsonReader reader, ref ItemScan item)
    {
        string? type = null, interactiveType = null;
        var sawType = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.TextEquals("id"u8))
            {
                reader.Read();
                item.Id = ReadChars(ref reader);
            }
            else if (reader.TextEquals("type"u8))
            {
                reader.Read();
                if (!sawType)
                {
                    sawType = true;
                    type = MessageTypes.Match(ref reader);
                }

                reader.Skip();
            }
            else if (reader.TextEquals("timestamp"u8))
            {
                reader.Read();
                item.OccurredAt = ReadTimestamp(ref reader);
            }
            else if (reader.TextEquals("interactive"u8))
            {
                reader.Read();
                interactiveType = ReadInteractiveType(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        item.Type = WabaEventTypes.ForMessage(type, type == MessageTypes.Interactive ? interactiveType : null);
    }

    /// <summary>
    /// What a status event needs: the last <c>id</c>, <c>status</c>, <c>recipient_participant_id</c>, <c>type</c> (a
    /// call status says <c>call</c>) and timestamp.
    /// </summary>
    private void ScanStatus(ref Utf8JsonReader reader, ref ItemScan item)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.TextEquals("type"u8))
            {
                reader.Read();
                item.IsCall = reader.TokenType == JsonTokenType.String && reader.TextEquals("call"u8);
                reader.Skip();
            }
            else if (reader.TextEquals("id"u8))
            {
                reader.Read();
                item.Id = ReadChars(ref reader);
            }
            else if (reader.TextEquals("status"u8))
            {
                reader.Read();
                item.Type = reader.TokenType == JsonTokenType.String ? MatchStatus(ref reader) : WabaEventTypes.StatusesUnknown;
                item.Status = ReadChars(ref reader);
            }
            else if (reader.TextEquals("recipient_participant_id"u8))
            {
                reader.Read();
                item.Participant = ReadChars(ref reader);
            }
            else if (reader.TextEquals("timestamp"u8))
            {
                reader.Read();
                item.OccurredAt = ReadTimestamp(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>
    /// What a call event needs: the call ID and <c>event</c> (the last of each, as the serializer keeps), hence the key,
    /// the type name and the model, and the timestamp.
    /// </summary>
    private void ScanCall(ref Utf8JsonReader reader, ref ItemScan item)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.TextEquals("id"u8))
            {
                reader.Read();
                item.Id = ReadChars(ref reader);
            }
            else if (reader.TextEquals("event"u8))
            {
                reader.Read();
                (item.Type, item.Payload) = reader.TokenType == JsonTokenType.String
                    ? MatchCallEvent(ref reader)
                    : (WabaEventTypes.CallsUnknown, LazyPayload.CallUnknown);
                item.Event = ReadChars(ref reader);
            }
            else if (reader.TextEquals("timestamp"u8))
            {
                reader.Read();
                item.OccurredAt = ReadTimestamp(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static (string Type, LazyPayload Payload) MatchCallEvent(ref readonly Utf8JsonReader reader)
    {
        if (reader.TextEquals("connect"u8)) return (WabaEventTypes.CallsConnect, LazyPayload.CallConnect);
        if (reader.TextEquals("terminate"u8)) return (WabaEventTypes.CallsTerminate, LazyPayload.CallTerminate);
        if (reader.TextEquals("call_created"u8)) return (WabaEventTypes.CallsCallCreated, LazyPayload.CallCreated);
        if (reader.TextEquals("call_recording_available"u8)) return (WabaEventTypes.CallsCallRecordingAvailable, LazyPayload.CallRecordingAvailable);
        if (reader.TextEquals("call_transcription_available"u8)) return (WabaEventTypes.CallsCallTranscriptionAvailable, LazyPayload.CallTranscriptionAvailable);
        return (WabaEventTypes.CallsUnknown, LazyPayload.CallUnknown);
    }

    private static string MatchStatus(ref readonly Utf8JsonReader reader)
    {
        // Compare the UTF-8 in place: the type names are a closed set of constants.
        if (reader.TextEquals("delivered"u8)) return "statuses.delivered";
        if (reader.TextEquals("read"u8)) return "statuses.read";
        if (reader.TextEquals("sent"u8)) return "statuses.sent";
        if (reader.TextEquals("played"u8)) return "statuses.played";
        if (reader.TextEquals("failed"u8)) return "statuses.failed";
        return WabaEventTypes.StatusesUnknown;
    }

    /// <summary><c>interactive.type</c> (the last one) when it is a string; anything else reads as no type.</summary>
    private static string? ReadInteractiveType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? type = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.TextEquals("type"u8);
            reader.Read();
            if (isType)
            {
                type = reader.TokenType != JsonTokenType.String ? null
                    : reader.TextEquals("button_reply"u8) ? "button_reply"
                    : reader.TextEquals("list_reply"u8) ? "list_reply"
                    : reader.TextEquals("nfm_reply"u8) ? "nfm_reply"
                    : reader.TextEquals("call_permission_reply"u8) ? "call_permission_reply"
                    : "";
            }

            reader.Skip();
        }

        return type;
    }

    /// <summary>
    /// The timestamp as <see cref="UnixTimestampConverter"/> reads it. A token it would reject makes the typed item fail,
    /// which always left the event at the entry's time, so it reads as none here.
    /// </summary>
    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader)
    {
        if (UnixTimestampConverter.TryRead(ref reader, out var value))
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    /// <summary>Unescapes the string at the reader into the entry's character buffer; absent for anything else.</summary>
    private Text ReadChars(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return Text.Absent;
        }

        // Unescaping never lengthens: each UTF-8 byte or escape gives at most one UTF-16 character.
        var needed = _charCount + reader.ValueSpan.Length;
        if (needed > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(needed, _chars.Length * 2));
        }

        try
        {
            var length = reader.CopyString(_chars.AsSpan(_charCount));
            var text = new Text(_charCount, length);
            _charCount += length;
            return text;
        }
        catch (InvalidOperationException)
        {
            // Not valid UTF-8: no usable ID, so the item is keyed by the hash of its bytes.
            return Text.Absent;
        }
    }

    private ReadOnlySpan<char> Chars(Text text) => text.Length < 0 ? default : _chars.AsSpan(text.Start, text.Length);

    private void Emit(string entryId, long? time, PendingChange change)
    {
        var value = _body.Slice(change.Value.Start, change.Value.Length);
        if (IsSplitField(change.Field) && !value.IsEmpty && value.Span[0] == (byte)'{')
        {
            if (!change.Scanned)
            {
                // The value came before a repeated field that turned it into messages or calls; scan it now from its own slice.
                var offset = change.Value.Start;
                change = new PendingChange { Field = change.Field, ItemsStart = _items.Count };
                var reader = new Utf8JsonReader(value.Span, LazyPayloads.ReaderOptions);
                reader.Read();
                ScanSplitValue(ref reader, offset, ref change);
                change.ItemsEnd = _items.Count;
            }

            EmitSplitValue(entryId, time, change);
        }
        else if (WhatsAppFields.ItemArrayOf(change.Field) is { } array && !value.IsEmpty && value.Span[0] == (byte)'{')
        {
            EmitItemsValue(entryId, time, change.Field, array, value);
        }
        else
        {
            EmitChange(entryId, time, change.Field, value, null, default);
        }
    }

    /// <summary>
    /// Emits one event per item of the list a field's value holds (<paramref name="array"/>), keyed by the item's bytes;
    /// the whole value as one event when the list is missing, empty or not an array, so nothing is dropped.
    /// </summary>
    private void EmitItemsValue(string entryId, long? time, string field, string array, ReadOnlyMemory<byte> value)
    {
        var reader = new Utf8JsonReader(value.Span, LazyPayloads.ReaderOptions);
        reader.Read();
        var items = new List<(int Start, int Length)>();
        var metadataJson = ReadOnlyMemory<byte>.Empty;
        var odd = false;
        var arrayName = System.Text.Encoding.UTF8.GetBytes(array);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.TextEquals(arrayName))
            {
                reader.Read();
                items.Clear();
                odd = false;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        items.Add((start, (int)reader.BytesConsumed - start));
                    }
                }
                else
                {
                    odd = reader.TokenType != JsonTokenType.Null;
                    reader.Skip();
                }
            }
            else if (reader.TextEquals("metadata"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                metadataJson = value[start..(int)reader.BytesConsumed];
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var metadata = ReadMetadata(metadataJson.Span);
        if (odd || items.Count == 0)
        {
            EmitChange(entryId, time, field, value, metadata, metadataJson);
            return;
        }

        var type = WabaEventTypes.ForItem(field)!;
        var payload = array switch
        {
            "automatic_events" => LazyPayload.AutomaticEvent,
            "events" => LazyPayload.TrackingEvent,
            "user_id_update" => LazyPayload.UserIdChange,
            _ => LazyPayload.GroupChange,
        };
        foreach (var (start, length) in items)
        {
            var raw = value.Slice(start, length);
            _events.Add(new WabaEvent(payload)
            {
                Id = IdempotencyKeys.ForChange(entryId, field, time, raw.Span),
                Type = type,
                Kind = WabaEventKind.Item,
                Field = field,
                WabaId = entryId,
                PhoneNumberId = metadata?.PhoneNumberId,
                OccurredAt = ReadItemTimestamp(raw.Span) ?? FromSeconds(time),
                DeliveryId = _deliveryId,
                IsTest = _isTest,
                Position = _events.Count,
                RawJson = raw,
                Metadata = metadata,
                MetadataJson = metadataJson,
            });
        }
    }

    /// <summary>The top-level <c>timestamp</c> of an item, as <see cref="UnixTimestampConverter"/> reads it.</summary>
    private static DateTimeOffset? ReadItemTimestamp(ReadOnlySpan<byte> item)
    {
        var reader = new Utf8JsonReader(item, LazyPayloads.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        DateTimeOffset? timestamp = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTimestamp = reader.TextEquals("timestamp"u8);
            reader.Read();
            if (isTimestamp)
            {
                timestamp = ReadTimestamp(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return timestamp;
    }

    private void EmitChange(string entryId, long? time, string field, ReadOnlyMemory<byte> value, Metadata? metadata, ReadOnlyMemory<byte> metadataJson)
    {
        var span = value.Span;
        var payload = ReadChange(field, span, ref metadata, out var type, out var error);
        _events.Add(new WabaEvent
        {
            Id = IdempotencyKeys.ForChange(entryId, field, time, span),
            Type = type,
            Kind = WabaEventKind.Change,
            Field = field,
            WabaId = entryId,
            PhoneNumberId = metadata?.PhoneNumberId,
            OccurredAt = FromSeconds(time),
            DeliveryId = _deliveryId,
            IsTest = _isTest,
            Position = _events.Count,
            Payload = payload,
            RawJson = value,
            Metadata = metadata,
            MetadataJson = metadataJson,
            PayloadError = error,
        });
    }

    /// <summary>
    /// A whole change's payload, read when it is split (or rebuilt from its stored locator): its typed value, or an
    /// <see cref="UnparsedPayload"/> with <paramref name="error"/>; a typed value's metadata fills a missing
    /// <paramref name="metadata"/>.
    /// </summary>
    internal static object ReadChange(string field, ReadOnlySpan<byte> span, ref Metadata? metadata, out string type, out string? error)
    {
        error = null;
        if (span.IsEmpty)
        {
            error = "the change has no value";
            type = WabaEventTypes.ForChange(field);
            return new UnparsedPayload(default, error);
        }

        try
        {
            var typed = WhatsAppFields.ReadValue(field, span, out var modelField);
            type = WabaEventTypes.ForChange(modelField);
            metadata ??= (typed as IPhoneNumberValue)?.Metadata;
            return typed;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            type = WabaEventTypes.ForChange(WhatsAppFields.TypeNameOf(field, span));
            return new UnparsedPayload(LazyPayloads.ParseElement(span), error);
        }
    }

    /// <summary>
    /// Emits a <c>messages</c> value's messages and statuses, or a <c>calls</c> value's calls and statuses, then its
    /// errors; items of the other field's array are not read.
    /// </summary>
    private void EmitSplitValue(string entryId, long? time, PendingChange change)
    {
        var field = change.Field;
        var isCalls = field == WhatsAppFields.Calls;
        var value = _body.Slice(change.Value.Start, change.Value.Length);
        var metadataJson = _body.Slice(change.Metadata.Start, change.Metadata.Length);
        var metadata = ReadMetadata(metadataJson.Span);
        var contacts = change.Contacts.Length == 0 ? null : new ContactsSource(_body.Slice(change.Contacts.Start, change.Contacts.Length));

        // Messages (or calls) before statuses, whatever order the value has them in.
        var items = 0;
        foreach (var kind in (ReadOnlySpan<WabaEventKind>)[isCalls ? WabaEventKind.Call : WabaEventKind.Message, WabaEventKind.Status])
        {
            for (var i = change.ItemsStart; i < change.ItemsEnd; i++)
            {
                var item = _items[i];
                if (item.Kind == kind)
                {
                    EmitItem(entryId, time, field, item, metadata, metadataJson, contacts);
                    items++;
                }
            }
        }

        var errors = _body.Slice(change.Errors.Start, change.Errors.Length);
        var hasErrors = IsNonEmptyArray(errors.Span);
        if (hasErrors)
        {
            _events.Add(new WabaEvent(LazyPayload.Errors)
            {
                // A call change's errors are keyed by the errors array alone, so an envelope narrowed for a destination
                // (which keeps those bytes but drops other items) gives the same key. Message errors keep the whole
                // value, as keys stored before calls were split were made.
                Id = IdempotencyKeys.ForChange(entryId, field, time, isCalls ? errors.Span : value.Span),
                Type = isCalls ? WabaEventTypes.CallsErrors : WabaEventTypes.MessagesErrors,
                Kind = WabaEventKind.Errors,
                Field = field,
                WabaId = entryId,
                PhoneNumberId = metadata?.PhoneNumberId,
                OccurredAt = FromSeconds(time),
                DeliveryId = _deliveryId,
            IsTest = _isTest,
                Position = _events.Count,
                RawJson = value,
                Metadata = metadata,
                MetadataJson = metadataJson,
            });
        }

        var oddShape = change.OddStatuses || (isCalls ? change.OddCalls : change.OddMessages);
        if (oddShape || (items == 0 && !hasErrors))
        {
            // Nothing recognisable to split: keep the whole value as one event rather than drop it.
            EmitChange(entryId, time, field, value, metadata, metadataJson);
        }
    }

    private void EmitItem(string entryId, long? time, string field, in ItemScan item, Metadata? metadata, ReadOnlyMemory<byte> metadataJson, ContactsSource? contacts)
    {
        var raw = _body.Slice(item.Raw.Start, item.Raw.Length);
        string? key = null;
        var kind = item.Kind;
        var type = item.Type;
        LazyPayload payload;
        if (kind == WabaEventKind.Message)
        {
            payload = LazyPayload.Message;
            if (item.Id.Length > 0)
            {
                key = IdempotencyKeys.ForMessage(Chars(item.Id));
            }
        }
        else if (kind == WabaEventKind.Call)
        {
            payload = item.Payload;
            if (item.Id.Length > 0 && item.Event.Length > 0)
            {
                key = IdempotencyKeys.ForCall(Chars(item.Id), Chars(item.Event));
            }
        }
        else if (item.IsCall && field == WhatsAppFields.Calls)
        {
            // Only a calls change has call statuses; any other status there is read as a message status, as before.
            kind = WabaEventKind.CallStatus;
            type = WabaEventTypes.ForCallStatus(Chars(item.Status));
            payload = LazyPayload.CallStatus;
            if (item.Id.Length > 0 && item.Status.Length > 0)
            {
                key = IdempotencyKeys.ForCallStatus(Chars(item.Id), Chars(item.Status));
            }
        }
        else
        {
            payload = LazyPayload.Status;
            if (item.Id.Length > 0 && item.Status.Length > 0)
            {
                key = IdempotencyKeys.ForStatus(Chars(item.Id), Chars(item.Status), Chars(item.Participant));
            }
        }

        _events.Add(new WabaEvent(payload)
        {
            Id = key ?? IdempotencyKeys.ForChange(entryId, field, time, raw.Span),
            Type = type,
            Kind = kind,
            Field = field,
            WabaId = entryId,
            PhoneNumberId = metadata?.PhoneNumberId,
            OccurredAt = item.OccurredAt ?? FromSeconds(time),
            DeliveryId = _deliveryId,
            IsTest = _isTest,
            Position = _events.Count,
            RawJson = raw,
            Metadata = metadata,
            MetadataJson = metadataJson,
            ContactsSource = contacts,
        });
    }

    private static Slice Capture(ref Utf8JsonReader reader, int offset)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return new Slice(offset + start, (int)reader.BytesConsumed - start);
    }

    private static bool IsNonEmptyArray(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, LazyPayloads.ReaderOptions);
        return reader.Read() && reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>
    /// Reads <c>metadata</c> by hand: it is on every <c>messages</c> value and a serializer call per value costs more
    /// than the two strings. Anything unexpected goes through the serializer so unknown properties are still kept.
    /// </summary>
    private Metadata? ReadMetadata(ReadOnlySpan<byte> json) => ReadMetadata(json, ref _lastDisplayPhoneNumber, ref _lastPhoneNumberId);

    /// <summary>As <see cref="ReadMetadata(ReadOnlySpan{byte})"/>, reusing the strings in <paramref name="lastDisplayPhoneNumber"/> and <paramref name="lastPhoneNumberId"/>.</summary>
    internal static Metadata? ReadMetadata(ReadOnlySpan<byte> json, ref string? lastDisplayPhoneNumber, ref string? lastPhoneNumberId)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json, LazyPayloads.ReaderOptions);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            string? display = null, phoneNumberId = null;
            var plain = true;
            while (plain && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDisplay = reader.TextEquals("display_phone_number"u8);
                var isId = !isDisplay && reader.TextEquals("phone_number_id"u8);
                reader.Read();
                plain = (isDisplay || isId) && reader.TokenType == JsonTokenType.String;
                if (plain)
                {
                    if (isDisplay)
                    {
                        display = Reuse(ref reader, ref lastDisplayPhoneNumber);
                    }
                    else
                    {
                        phoneNumberId = Reuse(ref reader, ref lastPhoneNumberId);
                    }
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

    /// <summary>The string at the reader: the one read last time when the text is the same, so no new string.</summary>
    private static string Reuse(ref Utf8JsonReader reader, ref string? last)
    {
        if (last is not null && reader.TextEquals(last))
        {
            return last;
        }

        return last = JsonText.Read(in reader);
    }

    private static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return JsonText.Read(in reader);
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

    /// <summary>A run of <see cref="_chars"/>; <see cref="Absent"/> when the property was missing or not a string.</summary>
    private readonly record struct Text(int Start, int Length)
    {
        public static readonly Text Absent = new(0, -1);
    }

    private struct PendingChange
    {
        public string Field;
        public Slice Value;
        public bool Scanned;

        // An array that is neither an array nor null: the change is also kept whole when it is the field's own.
        public bool OddMessages;
        public bool OddStatuses;
        public bool OddCalls;
        public Slice Metadata;
        public Slice Contacts;
        public Slice Errors;
        public int ItemsStart;
        public int ItemsEnd;
    }

    private struct ItemScan
    {
        public WabaEventKind Kind;
        public Slice Raw;
        public string Type;
        public Text Id;
        public Text Status;
        public Text Participant;
        public DateTimeOffset? OccurredAt;

        // Calls only: the event (key and model), and whether a status says type "call".
        public Text Event;
        public LazyPayload Payload;
        public bool IsCall;
    }
}
