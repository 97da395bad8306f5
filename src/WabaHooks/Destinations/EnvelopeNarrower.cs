using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Payloads;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Destinations;

/// <summary>
/// Writes the narrowed envelope <see cref="MetaEnvelope.Narrow(ReadOnlyMemory{byte}, IReadOnlyList{WabaEvent}, IReadOnlyCollection{WabaEvent})"/> describes. The body is parsed over its own memory,
/// so every copied value is written from its exact slice. A part that loses nothing is copied whole rather than
/// rebuilt, so that an event whose raw JSON is a whole value (errors, changes) keeps its bytes, and so its ID.
/// </summary>
/// <remarks>
/// Each change is matched to its run of events by walking the changes alongside the split, which is in the same
/// order: a change's events are those whose raw JSON lies within its value. Matching by position rather than by
/// re-reading IDs keeps the narrower from having to agree with the splitter on anything but where items lie.
/// </remarks>
internal sealed class EnvelopeNarrower
{
    internal static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = LazyPayloads.ReaderOptions.MaxDepth };

    // Only property names go through the encoder (values are raw); the relaxed one leaves printable ASCII as it is, and
    // the body is never embedded in HTML.
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ReadOnlyMemory<byte> _body;
    private readonly IReadOnlyList<WabaEvent> _all;
    private readonly bool[] _kept;
    private readonly HashSet<int> _keptItems = [];
    private readonly List<ChangeEvents> _entryChanges = [];
    private int _next;

    private EnvelopeNarrower(ReadOnlyMemory<byte> body, IReadOnlyList<WabaEvent> all, bool[] kept)
    {
        _body = body;
        _all = all;
        _kept = kept;
        for (var i = 0; i < kept.Length; i++)
        {
            if (kept[i] && all[i].Kind is WabaEventKind.Message or WabaEventKind.Status or WabaEventKind.Call or WabaEventKind.CallStatus or WabaEventKind.Item)
            {
                _keptItems.Add(OffsetOf(all[i].RawJson.Span));
            }
        }
    }

    public static ReadOnlyMemory<byte> Write(ReadOnlyMemory<byte> body, IReadOnlyList<WabaEvent> all, bool[] kept)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw NotTheSplit(ex);
        }

        using (document)
        {
            var output = new ArrayBufferWriter<byte>(Math.Max(body.Length, 256));
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                var narrower = new EnvelopeNarrower(body, all, kept);
                narrower.WriteRoot(writer, document.RootElement);
                if (narrower._next != all.Count)
                {
                    throw NotTheSplit(null);
                }
            }

            return output.WrittenMemory;
        }
    }

    private void WriteRoot(Utf8JsonWriter writer, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw NotTheSplit(null);
        }

        writer.WriteStartObject();
        var sawObject = false;
        var isWhatsApp = false;
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameIs("object"u8))
            {
                sawObject = true;
                isWhatsApp = property.Value.ValueKind == JsonValueKind.String && property.Value.ValueIs(DeliveryClassifier.WhatsAppBusinessAccount);
                Copy(writer, property);
            }
            else if (property.NameIs("entry"u8) && property.Value.ValueKind == JsonValueKind.Array)
            {
                // The splitter skips entries that follow an object of another kind; none of their changes has events.
                WriteName(writer, property);
                WriteEntries(writer, property.Value, split: isWhatsApp || !sawObject);
            }
            else
            {
                Copy(writer, property);
            }
        }

        writer.WriteEndObject();
    }

    private void WriteEntries(Utf8JsonWriter writer, JsonElement entries, bool split)
    {
        writer.WriteStartArray();
        if (!split)
        {
            writer.WriteEndArray();
            return;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw NotTheSplit(null);
            }

            // Find the entry's events before writing anything of it: an entry with none kept is left out whole.
            var first = _next;
            _entryChanges.Clear();
            foreach (var property in entry.EnumerateObject())
            {
                if (property.NameIs("changes"u8))
                {
                    MatchChanges(property.Value);
                }
            }

            if (!AnyKept(first, _next))
            {
                continue;
            }

            if (AllKept(first, _next))
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(entry), skipInputValidation: true);
            }
            else
            {
                WriteEntry(writer, entry);
            }
        }

        writer.WriteEndArray();
    }

    private void MatchChanges(JsonElement changes)
    {
        if (changes.ValueKind != JsonValueKind.Array)
        {
            throw NotTheSplit(null);
        }

        foreach (var change in changes.EnumerateArray())
        {
            if (change.ValueKind != JsonValueKind.Object)
            {
                throw NotTheSplit(null);
            }

            // The last value is the one the splitter reads.
            JsonElement? value = null;
            foreach (var property in change.EnumerateObject())
            {
                if (property.NameIs("value"u8))
                {
                    value = property.Value;
                }
            }

            var first = _next;
            var valueOffset = -1;
            if (value is { } present)
            {
                var span = JsonMarshal.GetRawUtf8Value(present);
                valueOffset = OffsetOf(span);
                while (_next < _all.Count && Within(_all[_next].RawJson.Span, valueOffset, span.Length))
                {
                    _next++;
                }
            }
            else if (_next < _all.Count && _all[_next].RawJson.IsEmpty)
            {
                // A change with no value is one event with empty raw JSON.
                _next++;
            }

            if (_next == first)
            {
                // Every change the splitter reads gives at least one event.
                throw NotTheSplit(null);
            }

            _entryChanges.Add(new ChangeEvents(first, _next, valueOffset));
        }
    }

    private void WriteEntry(Utf8JsonWriter writer, JsonElement entry)
    {
        writer.WriteStartObject();
        var change = 0;
        foreach (var property in entry.EnumerateObject())
        {
            if (!property.NameIs("changes"u8))
            {
                Copy(writer, property);
                continue;
            }

            WriteName(writer, property);
            writer.WriteStartArray();
            foreach (var element in property.Value.EnumerateArray())
            {
                var events = _entryChanges[change++];
                if (AllKept(events.First, events.End))
                {
                    writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                }
                else if (AnyKept(events.First, events.End))
                {
                    WriteChange(writer, element, events);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private void WriteChange(Utf8JsonWriter writer, JsonElement change, ChangeEvents events)
    {
        var keepErrors = false;
        for (var i = events.First; i < events.End; i++)
        {
            if (!_kept[i])
            {
                continue;
            }

            if (_all[i].Kind == WabaEventKind.Change)
            {
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(change), skipInputValidation: true);
                return;
            }

            keepErrors |= _all[i].Kind == WabaEventKind.Errors;
        }

        // Only messages, calls, statuses, errors and list items are kept, so the value is a messages or calls value or the
        // value of a list-holding field (an object).
        writer.WriteStartObject();
        foreach (var property in change.EnumerateObject())
        {
            if (!property.NameIs("value"u8))
            {
                Copy(writer, property);
            }
            else if (OffsetOf(JsonMarshal.GetRawUtf8Value(property.Value)) == events.ValueOffset)
            {
                WriteName(writer, property);
                WriteMessagesValue(writer, property.Value, keepErrors, _all[events.First].Field);
            }

            // An earlier, repeated value is left out: the splitter never reads it, so nothing in it was chosen.
        }

        writer.WriteEndObject();
    }

    private void WriteMessagesValue(Utf8JsonWriter writer, JsonElement value, bool keepErrors, string field)
    {
        // A list-holding field's value keeps only the kept items of its one list; its errors are no event of their
        // own, so they stay.
        var itemArray = WhatsAppFields.ItemArrayOf(field);
        var isCalls = field == WhatsAppFields.Calls;
        writer.WriteStartObject();
        foreach (var property in value.EnumerateObject())
        {
            // A calls value is narrowed as a messages value is: only the kept items of its split arrays stay.
            if (itemArray is not null ? property.NameEquals(itemArray) : property.NameIs(isCalls ? "calls"u8 : "messages"u8) || property.NameIs("statuses"u8))
            {
                WriteItems(writer, property);
            }
            else if (itemArray is not null || !property.NameIs("errors"u8) || keepErrors)
            {
                Copy(writer, property);
            }
        }

        writer.WriteEndObject();
    }

    private void WriteItems(Utf8JsonWriter writer, JsonProperty items)
    {
        switch (items.Value.ValueKind)
        {
            case JsonValueKind.Null:
                Copy(writer, items);
                return;
            case not JsonValueKind.Array:
                // The splitter reads such a value as one whole-change event, which is not kept.
                return;
        }

        var started = false;
        foreach (var item in items.Value.EnumerateArray())
        {
            var raw = JsonMarshal.GetRawUtf8Value(item);
            if (!_keptItems.Contains(OffsetOf(raw)))
            {
                continue;
            }

            if (!started)
            {
                started = true;
                WriteName(writer, items);
                writer.WriteStartArray();
            }

            writer.WriteRawValue(raw, skipInputValidation: true);
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }

    private bool AnyKept(int first, int end) => _kept.AsSpan(first, end - first).Contains(true);

    private bool AllKept(int first, int end) => !_kept.AsSpan(first, end - first).Contains(false);

    private int OffsetOf(ReadOnlySpan<byte> slice) => _body.Span.Overlaps(slice, out var offset) ? offset : -1;

    private bool Within(ReadOnlySpan<byte> slice, int start, int length)
    {
        var offset = OffsetOf(slice);
        return offset >= start && offset + slice.Length <= start + length;
    }

    internal static void Copy(Utf8JsonWriter writer, JsonProperty property)
    {
        WriteName(writer, property);
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
    }

    internal static void WriteName(Utf8JsonWriter writer, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (!IsText(raw))
        {
            // Not text: a lone surrogate escape (\ud800), which has no string to unescape to, or bytes that are not
            // UTF-8. Neither the reader nor the writer takes such a name, and the writer has no way to copy it raw, so
            // it is written as the text its bytes spell, escapes and all, with U+FFFD for bytes that are not UTF-8. It
            // matched no name the splitter reads before and matches none after (those are plain ASCII), and a
            // destination still sees that the property was there.
            writer.WritePropertyName(Encoding.UTF8.GetString(raw));
        }
        else if (raw.Contains((byte)'\\'))
        {
            // The writer would escape the backslash again; give it the unescaped text to escape its own way.
            writer.WritePropertyName(property.Name);
        }
        else
        {
            writer.WritePropertyName(raw);
        }
    }

    /// <summary>Whether a raw (still escaped) name is UTF-8 whose escapes unescape to valid UTF-16.</summary>
    private static bool IsText(ReadOnlySpan<byte> raw) => Utf8.IsValid(raw) && !DeliveryClassifier.HasLoneSurrogateEscape(raw);

    private static ArgumentException NotTheSplit(Exception? inner) =>
        new("all is not the split of body: its events do not match the body's changes.", "all", inner);

    /// <summary>The events of one change, <c>[First, End)</c> in the split, and where its value starts (-1 when it has none).</summary>
    private readonly record struct ChangeEvents(int First, int End, int ValueOffset);
}
