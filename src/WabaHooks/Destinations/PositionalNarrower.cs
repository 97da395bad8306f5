using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Payloads;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Destinations;

/// <summary>
/// Writes the envelope <see cref="MetaEnvelope.Narrow(ReadOnlyMemory{byte}, IReadOnlyCollection{WabaEvent})"/>
/// describes: the delivery narrowed to the carried events, found by where their raw JSON lies in the body alone, so no
/// split is needed and the current splitter need not agree with the one that stored them.
/// </summary>
/// <remarks>
/// Where the split-based narrower asks "is every event of this change kept?", this one asks "does writing the change
/// narrowed drop anything an event stands for?": an item of one of its lists that is not carried, value-level
/// <c>errors</c> that are not carried, or a list that is no list. For the splits of today's splitter the two answers
/// are the same, so the output is the same bytes.
/// </remarks>
internal sealed class PositionalNarrower
{
    private readonly ReadOnlyMemory<byte> _body;

    // The carried events by where their raw JSON starts, then by length; at most one per kind and slice.
    private readonly Carried[] _carried;
    private readonly HashSet<int> _items = [];
    private readonly List<ChangePlan> _plans = [];
    private int _placed;
    private bool _lost;

    private PositionalNarrower(ReadOnlyMemory<byte> body, Carried[] carried)
    {
        _body = body;
        _carried = carried;
        foreach (var c in carried)
        {
            if (IsItem(c.Kind))
            {
                _items.Add(c.Offset);
            }
        }
    }

    public static ReadOnlyMemory<byte> Write(ReadOnlyMemory<byte> body, IReadOnlyCollection<WabaEvent> carried)
    {
        var located = Locate(body.Span, carried);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, EnvelopeNarrower.DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("body is not JSON.", nameof(body), ex);
        }

        using (document)
        {
            var output = new ArrayBufferWriter<byte>(Math.Max(body.Length, 256));
            var narrower = new PositionalNarrower(body, located);
            using (var writer = new Utf8JsonWriter(output, EnvelopeNarrower.WriterOptions))
            {
                narrower.WriteRoot(writer, document.RootElement);
            }

            if (narrower._placed != located.Length)
            {
                throw new ArgumentException("an event of carried does not lie where an event of an envelope can lie.", nameof(carried));
            }

            // Nothing dropped: the carried events stand for the whole delivery, which goes out as it came.
            return narrower._lost ? output.WrittenMemory : body;
        }
    }

    private static Carried[] Locate(ReadOnlySpan<byte> body, IReadOnlyCollection<WabaEvent> carried)
    {
        ArgumentNullException.ThrowIfNull(carried);
        var located = new List<Carried>(carried.Count);
        foreach (var e in carried)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(carried));

            // An empty slice (a change with no value) says nothing about where the event lies.
            if (e.RawJson.IsEmpty || !body.Overlaps(e.RawJson.Span, out var offset) || offset < 0 || offset + e.RawJson.Length > body.Length)
            {
                throw new ArgumentException($"event {e.Id} is not a slice of body.", nameof(carried));
            }

            located.Add(new Carried(offset, e.RawJson.Length, e.Kind, e.Field));
        }

        located.Sort();
        var distinct = located.Distinct().ToArray();
        return distinct;
    }

    private void WriteRoot(Utf8JsonWriter writer, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("body is not a JSON object.", "body");
        }

        writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameIs("entry"u8) && property.Value.ValueKind == JsonValueKind.Array)
            {
                EnvelopeNarrower.WriteName(writer, property);
                WriteEntries(writer, property.Value);
            }
            else
            {
                EnvelopeNarrower.Copy(writer, property);
            }
        }

        writer.WriteEndObject();
    }

    private void WriteEntries(Utf8JsonWriter writer, JsonElement entries)
    {
        writer.WriteStartArray();
        foreach (var entry in entries.EnumerateArray())
        {
            var raw = JsonMarshal.GetRawUtf8Value(entry);
            if (!AnyWithin(OffsetOf(raw), raw.Length) || entry.ValueKind != JsonValueKind.Object)
            {
                _lost = true;
                continue;
            }

            // Plan every change before writing anything of the entry: one that loses nothing is copied whole.
            _plans.Clear();
            var whole = true;
            foreach (var property in entry.EnumerateObject())
            {
                if (property.NameIs("changes"u8) && property.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var change in property.Value.EnumerateArray())
                    {
                        var plan = Plan(change);
                        whole &= plan.Whole;
                        _plans.Add(plan);
                    }
                }
            }

            if (whole)
            {
                writer.WriteRawValue(raw, skipInputValidation: true);
            }
            else
            {
                _lost = true;
                WriteEntry(writer, entry);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Which value of a change holds carried events, and whether writing it narrowed would drop anything.</summary>
    private ChangePlan Plan(JsonElement change)
    {
        var raw = JsonMarshal.GetRawUtf8Value(change);
        if (change.ValueKind != JsonValueKind.Object || !AnyWithin(OffsetOf(raw), raw.Length))
        {
            return new ChangePlan(Whole: false, Carries: false, ValueOffset: -1, KeepErrors: false);
        }

        // The last value that holds carried events is the one they were split from.
        JsonElement? chosen = null;
        foreach (var property in change.EnumerateObject())
        {
            var value = JsonMarshal.GetRawUtf8Value(property.Value);
            if (property.NameIs("value"u8) && AnyWithin(OffsetOf(value), value.Length))
            {
                chosen = property.Value;
            }
        }

        if (chosen is not { } found)
        {
            return new ChangePlan(Whole: false, Carries: false, ValueOffset: -1, KeepErrors: false);
        }

        var span = JsonMarshal.GetRawUtf8Value(found);
        var offset = OffsetOf(span);
        var field = "";
        var wholeChange = false;
        var keepErrors = false;
        for (var i = FirstWithin(offset); i < _carried.Length && _carried[i].Offset < offset + span.Length; i++)
        {
            var c = _carried[i];
            field = c.Field;
            if (c.Offset == offset && c.Length == span.Length && !IsItem(c.Kind))
            {
                // A whole-change or errors event stands for the whole value.
                _placed++;
                wholeChange |= c.Kind == WabaEventKind.Change;
                keepErrors |= c.Kind == WabaEventKind.Errors;
            }
        }

        if (wholeChange)
        {
            // Its items (if an older split gave both) go with it.
            _placed += CountItemsWithin(offset, span.Length, found);
            return new ChangePlan(Whole: true, Carries: true, ValueOffset: offset, KeepErrors: true);
        }

        if (found.ValueKind != JsonValueKind.Object)
        {
            return new ChangePlan(Whole: false, Carries: true, ValueOffset: offset, KeepErrors: keepErrors);
        }

        var gated = field is WhatsAppFields.Messages or WhatsAppFields.Calls;
        var loses = false;
        foreach (var property in found.EnumerateObject())
        {
            if (IsList(property, field))
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        break;
                    case JsonValueKind.Array:
                        foreach (var item in property.Value.EnumerateArray())
                        {
                            if (_items.Contains(OffsetOf(JsonMarshal.GetRawUtf8Value(item))))
                            {
                                _placed++;
                            }
                            else
                            {
                                loses = true;
                            }
                        }

                        break;
                    default:
                        // Read as a whole-change event, which is not carried.
                        loses = true;
                        break;
                }
            }
            else if (gated && !keepErrors && property.NameIs("errors"u8)
                && property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0)
            {
                // The value's errors event, not carried.
                loses = true;
            }
        }

        return new ChangePlan(Whole: !loses, Carries: true, ValueOffset: offset, KeepErrors: keepErrors);
    }

    private int CountItemsWithin(int offset, int length, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        var count = 0;
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    var at = OffsetOf(JsonMarshal.GetRawUtf8Value(item));
                    count += at >= offset && at < offset + length && _items.Contains(at) ? 1 : 0;
                }
            }
        }

        return count;
    }

    private void WriteEntry(Utf8JsonWriter writer, JsonElement entry)
    {
        writer.WriteStartObject();
        var next = 0;
        foreach (var property in entry.EnumerateObject())
        {
            if (!property.NameIs("changes"u8) || property.Value.ValueKind != JsonValueKind.Array)
            {
                EnvelopeNarrower.Copy(writer, property);
                continue;
            }

            EnvelopeNarrower.WriteName(writer, property);
            writer.WriteStartArray();
            foreach (var change in property.Value.EnumerateArray())
            {
                var plan = _plans[next++];
                if (plan.Whole)
                {
                    writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(change), skipInputValidation: true);
                }
                else if (plan.Carries)
                {
                    WriteChange(writer, change, plan);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private void WriteChange(Utf8JsonWriter writer, JsonElement change, ChangePlan plan)
    {
        writer.WriteStartObject();
        foreach (var property in change.EnumerateObject())
        {
            if (!property.NameIs("value"u8))
            {
                EnvelopeNarrower.Copy(writer, property);
            }
            else if (OffsetOf(JsonMarshal.GetRawUtf8Value(property.Value)) == plan.ValueOffset)
            {
                EnvelopeNarrower.WriteName(writer, property);
                WriteValue(writer, property.Value, plan);
            }

            // Another value holds no carried event: left out, as the splitter never read it for them.
        }

        writer.WriteEndObject();
    }

    private void WriteValue(Utf8JsonWriter writer, JsonElement value, ChangePlan plan)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("a carried event lies in a value that is not an object.", "carried");
        }

        var field = FieldWithin(plan.ValueOffset, JsonMarshal.GetRawUtf8Value(value).Length);
        var gated = field is WhatsAppFields.Messages or WhatsAppFields.Calls;
        writer.WriteStartObject();
        foreach (var property in value.EnumerateObject())
        {
            if (IsList(property, field))
            {
                WriteItems(writer, property);
            }
            else if (!gated || plan.KeepErrors || !property.NameIs("errors"u8))
            {
                EnvelopeNarrower.Copy(writer, property);
            }
        }

        writer.WriteEndObject();
    }

    private void WriteItems(Utf8JsonWriter writer, JsonProperty items)
    {
        switch (items.Value.ValueKind)
        {
            case JsonValueKind.Null:
                EnvelopeNarrower.Copy(writer, items);
                return;
            case not JsonValueKind.Array:
                return;
        }

        var started = false;
        foreach (var item in items.Value.EnumerateArray())
        {
            var raw = JsonMarshal.GetRawUtf8Value(item);
            if (!_items.Contains(OffsetOf(raw)))
            {
                continue;
            }

            if (!started)
            {
                started = true;
                EnvelopeNarrower.WriteName(writer, items);
                writer.WriteStartArray();
            }

            writer.WriteRawValue(raw, skipInputValidation: true);
        }

        if (started)
        {
            writer.WriteEndArray();
        }
    }

    /// <summary>
    /// Whether a value's property is a list split per item: the field's own lists, and any array holding a carried
    /// item (an older split may have cut a list today's rules keep whole).
    /// </summary>
    private bool IsList(JsonProperty property, string field)
    {
        var named = WhatsAppFields.ItemArrayOf(field) is { } itemArray
            ? property.NameEquals(itemArray)
            : field switch
            {
                WhatsAppFields.Messages => property.NameIs("messages"u8) || property.NameIs("statuses"u8),
                WhatsAppFields.Calls => property.NameIs("calls"u8) || property.NameIs("statuses"u8),
                _ => false,
            };
        if (named || property.Value.ValueKind != JsonValueKind.Array)
        {
            return named;
        }

        foreach (var item in property.Value.EnumerateArray())
        {
            if (_items.Contains(OffsetOf(JsonMarshal.GetRawUtf8Value(item))))
            {
                return true;
            }
        }

        return false;
    }

    private string FieldWithin(int offset, int length)
    {
        var field = "";
        for (var i = FirstWithin(offset); i < _carried.Length && _carried[i].Offset < offset + length; i++)
        {
            field = _carried[i].Field;
        }

        return field;
    }

    private int FirstWithin(int offset)
    {
        var i = 0;
        while (i < _carried.Length && _carried[i].Offset < offset)
        {
            i++;
        }

        return i;
    }

    private bool AnyWithin(int offset, int length)
    {
        var i = FirstWithin(offset);
        return i < _carried.Length && _carried[i].Offset + _carried[i].Length <= offset + length;
    }

    private int OffsetOf(ReadOnlySpan<byte> slice) => _body.Span.Overlaps(slice, out var offset) ? offset : -1;

    private static bool IsItem(WabaEventKind kind) =>
        kind is WabaEventKind.Message or WabaEventKind.Status or WabaEventKind.Call or WabaEventKind.CallStatus or WabaEventKind.Item;

    /// <summary>A carried event: where its raw JSON lies, what it is, and its change's field.</summary>
    private readonly record struct Carried(int Offset, int Length, WabaEventKind Kind, string Field) : IComparable<Carried>
    {
        public int CompareTo(Carried other) => (Offset, Length, Kind).CompareTo((other.Offset, other.Length, other.Kind));
    }

    /// <summary>
    /// How one change is written: whole (nothing of it dropped), narrowed (it carries events), or not at all; the value
    /// the carried events lie in, and whether its errors are carried.
    /// </summary>
    private readonly record struct ChangePlan(bool Whole, bool Carries, int ValueOffset, bool KeepErrors);
}
