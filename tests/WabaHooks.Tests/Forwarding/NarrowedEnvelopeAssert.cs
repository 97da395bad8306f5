using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WabaHooks.Events;

namespace WabaHooks.Tests.Forwarding;

/// <summary>
/// Checks a narrowed envelope against its original element by element, from the narrowing rules alone: it finds what
/// to keep by where the kept events' bytes lie, not by the narrower's own matching of changes to events.
/// </summary>
internal sealed class NarrowedEnvelopeAssert
{
    private readonly byte[] _original;
    private readonly IReadOnlyList<WabaEvent> _all;
    private readonly List<WabaEvent> _kept;

    private NarrowedEnvelopeAssert(byte[] original, IReadOnlyList<WabaEvent> all, IEnumerable<WabaEvent> kept)
    {
        _original = original;
        _all = all;
        _kept = kept.ToList();
    }

    /// <summary>
    /// Asserts that <paramref name="narrowed"/> keeps every property of <paramref name="original"/> byte for byte,
    /// except entries and changes without kept events, items not kept, and errors whose event is not kept; and that an
    /// entry or change that loses nothing is copied whole.
    /// </summary>
    public static void KeepsAllButTheLeftOutParts(byte[] original, byte[] narrowed, IReadOnlyList<WabaEvent> all, IEnumerable<WabaEvent> kept)
    {
        using var before = JsonDocument.Parse(original.AsMemory());
        using var after = JsonDocument.Parse(narrowed.AsMemory());
        var check = new NarrowedEnvelopeAssert(original, all, kept);
        Object(before.RootElement, after.RootElement, check.Root);
    }

    private void Root(string name, JsonElement before, JsonElement after)
    {
        if (name == "entry")
        {
            Filtered(before, after, HasKept, Entry);
        }
        else
        {
            SameBytes(before, after);
        }
    }

    private void Entry(JsonElement before, JsonElement after)
    {
        if (LosesNothing(before))
        {
            SameBytes(before, after);
        }
        else
        {
            Object(before, after, EntryProperty);
        }
    }

    private void EntryProperty(string name, JsonElement before, JsonElement after)
    {
        if (name == "changes")
        {
            Filtered(before, after, HasKept, Change);
        }
        else
        {
            SameBytes(before, after);
        }
    }

    private void Change(JsonElement before, JsonElement after)
    {
        if (LosesNothing(before) || _kept.Any(e => e.Kind == WabaEventKind.Change && Within(e.RawJson.Span, before)))
        {
            SameBytes(before, after);
            return;
        }

        // A calls value is split on calls[] and statuses[], a messages value on messages[] and statuses[], a list-holding
        // field's value on its one list.
        var fieldName = before.EnumerateObject().LastOrDefault(p => p.Name == "field").Value is { ValueKind: JsonValueKind.String } field
            ? field.GetString() : null;
        var items = fieldName switch
        {
            "calls" => "calls",
            "automatic_events" => "automatic_events",
            "tracking_events" => "events",
            "user_id_update" => "user_id_update",
            "group_lifecycle_update" or "group_participants_update" or "group_settings_update" or "group_status_update"
                or "group_participant_update" => "groups",
            _ => "messages",
        };
        Object(before, after, (name, b, a) =>
        {
            if (name == "value")
            {
                Object(b, a, (n, vb, va) => Value(n, vb, va, items), keepProperty: p => KeepsValueProperty(p, b, items));
            }
            else
            {
                SameBytes(b, a);
            }
        });
    }

    private static bool IsListField(string items) => items is not ("calls" or "messages");

    private void Value(string name, JsonElement before, JsonElement after, string items)
    {
        if (name == items || (name == "statuses" && !IsListField(items)))
        {
            Filtered(before, after, IsKeptItem, SameBytes);
        }
        else
        {
            SameBytes(before, after);
        }
    }

    private bool KeepsValueProperty(JsonProperty property, JsonElement value, string items) => property.Name switch
    {
        var name when name == items => property.Value.EnumerateArray().Any(IsKeptItem),
        _ when IsListField(items) => true,
        "statuses" => property.Value.EnumerateArray().Any(IsKeptItem),
        "errors" => _kept.Any(e => e.Kind == WabaEventKind.Errors && Within(e.RawJson.Span, value)),
        _ => true,
    };

    private bool IsKeptItem(JsonElement item) =>
        _kept.Any(e => e.Kind is WabaEventKind.Message or WabaEventKind.Status or WabaEventKind.Call or WabaEventKind.CallStatus or WabaEventKind.Item
            && Offset(e.RawJson.Span) == Offset(Raw(item)));

    private bool HasKept(JsonElement element) => _kept.Any(e => Within(e.RawJson.Span, element));

    private bool LosesNothing(JsonElement element) => _all.Where(e => Within(e.RawJson.Span, element)).All(_kept.Contains);

    private static void Object(
        JsonElement before, JsonElement after, Action<string, JsonElement, JsonElement> property, Func<JsonProperty, bool>? keepProperty = null)
    {
        var expected = before.EnumerateObject().Where(p => keepProperty?.Invoke(p) ?? true).ToList();
        var actual = after.EnumerateObject().ToList();
        Assert.Equal(expected.Select(p => p.Name), actual.Select(p => p.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            property(expected[i].Name, expected[i].Value, actual[i].Value);
        }
    }

    private static void Filtered(JsonElement before, JsonElement after, Func<JsonElement, bool> kept, Action<JsonElement, JsonElement> item)
    {
        var expected = before.EnumerateArray().Where(kept).ToList();
        var actual = after.EnumerateArray().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            item(expected[i], actual[i]);
        }
    }

    private static void SameBytes(JsonElement before, JsonElement after) =>
        Assert.Equal(Encoding.UTF8.GetString(Raw(before)), Encoding.UTF8.GetString(Raw(after)));

    private bool Within(ReadOnlySpan<byte> slice, JsonElement element)
    {
        var start = Offset(Raw(element));
        var offset = Offset(slice);
        return offset >= start && offset + slice.Length <= start + Raw(element).Length;
    }

    private int Offset(ReadOnlySpan<byte> slice)
    {
        Assert.True(_original.AsSpan().Overlaps(slice, out var offset), "the slice is not part of the original body");
        return offset;
    }

    private static ReadOnlySpan<byte> Raw(JsonElement element) => JsonMarshal.GetRawUtf8Value(element);
}
