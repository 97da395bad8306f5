using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Destinations;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Forwarding;

public sealed class MetaEnvelopeTests
{
    /// <summary>Every example payload's entries in one delivery, so narrowing is tried across many entries and fields.</summary>
    private const string AllInOne = "(every example payload in one delivery)";

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Keeping_every_event_returns_the_body_itself(string name)
    {
        ReadOnlyMemory<byte> body = Fixtures.Read(name);
        var all = Split(body);

        var narrowed = MetaEnvelope.Narrow(body, all, all);

        Assert.True(narrowed.Span == body.Span, "expected the same memory, not a copy");
    }

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Keeping_every_event_of_another_split_of_the_same_buffer_returns_the_body_itself(string name)
    {
        ReadOnlyMemory<byte> body = Fixtures.Read(name);

        var narrowed = MetaEnvelope.Narrow(body, Split(body), Split(body));

        Assert.True(narrowed.Span == body.Span, "expected the same memory, not a copy");
    }

    public static TheoryData<string, int[]> Narrowings()
    {
        var data = new TheoryData<string, int[]>();
        foreach (var source in Fixtures.Names.Append(AllInOne))
        {
            var count = Split(Body(source)).Count;
            if (count < 2)
            {
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                data.Add(source, [i]);
            }

            foreach (var parity in (int[])[0, 1])
            {
                var everyOther = Enumerable.Range(0, count).Where(i => i % 2 == parity).ToArray();
                if (everyOther.Length > 1)
                {
                    data.Add(source, everyOther);
                }
            }
        }

        return data;
    }

    [Fact]
    public void The_narrowings_cover_more_than_one_payload_and_many_events()
    {
        // Guards the theories below against running on nearly nothing if the examples change.
        var narrowings = Narrowings().Select(row => row.Data).ToList();

        Assert.Contains(narrowings, n => n.Item1 != AllInOne);
        Assert.True(narrowings.Count(n => n.Item1 == AllInOne) > 50);
    }

    [Theory]
    [MemberData(nameof(Narrowings))]
    public void A_narrowed_delivery_splits_into_exactly_the_kept_events(string source, int[] keep)
    {
        var body = Body(source);
        var all = Split(body);
        var kept = keep.Select(i => all[i]).ToArray();

        var narrowed = MetaEnvelope.Narrow(body, all, kept).ToArray();

        var again = DeliverySplitter.Split(narrowed, 1);
        Assert.True(again.IsSuccess, again.Error);
        Assert.Equal(kept.Select(Describe), again.Events.Select(Describe));
    }

    [Theory]
    [MemberData(nameof(Narrowings))]
    public void A_narrowed_delivery_keeps_every_other_property_byte_for_byte_and_drops_what_has_no_kept_event(string source, int[] keep)
    {
        var body = Body(source);
        var all = Split(body);
        var kept = keep.Select(i => all[i]).ToArray();

        var narrowed = MetaEnvelope.Narrow(body, all, kept).ToArray();

        NarrowedEnvelopeAssert.KeepsAllButTheLeftOutParts(body, narrowed, all, kept);
    }

    [Theory]
    [MemberData(nameof(Narrowings))]
    public void A_narrowed_delivery_is_a_new_buffer_not_the_body(string source, int[] keep)
    {
        var body = Body(source);
        var all = Split(body);

        var narrowed = MetaEnvelope.Narrow(body, all, keep.Select(i => all[i]).ToArray());

        Assert.False(narrowed.Span.Overlaps(body), "a narrowed body must not alias the delivery's buffer");
        Assert.True(narrowed.Length < body.Length);
    }

    [Fact]
    public void Keeping_no_event_leaves_an_empty_entry_array()
    {
        var body = Fixtures.Read("messages-batched-mixed.json");

        var narrowed = MetaEnvelope.Narrow(body, Split(body), []);

        Assert.Equal("""{"object":"whatsapp_business_account","entry":[]}""", Encoding.UTF8.GetString(narrowed.Span));
    }

    [Fact]
    public void An_event_that_is_not_in_all_is_rejected()
    {
        var body = Fixtures.Read("messages-batched-mixed.json");
        var other = Split(Fixtures.Read("messages-text.json"));

        var ex = Assert.Throws<ArgumentException>(() => MetaEnvelope.Narrow(body, Split(body), [other[0]]));

        Assert.Equal("keep", ex.ParamName);
    }

    [Fact]
    public void Events_that_are_not_the_split_of_the_body_are_rejected()
    {
        var body = Fixtures.Read("messages-batched-mixed.json");
        var copy = Split(body.ToArray());

        var ex = Assert.Throws<ArgumentException>(() => MetaEnvelope.Narrow(body, copy, [copy[0]]));

        Assert.Equal("all", ex.ParamName);
    }

    private static readonly Lazy<byte[]> AllInOneBody = new(JoinAllPayloads);

    internal static byte[] Body(string source) => source == AllInOne ? AllInOneBody.Value : Fixtures.Read(source);

    private static byte[] JoinAllPayloads()
    {
        var entries = new List<string>();
        foreach (var name in Fixtures.Names)
        {
            using var document = JsonDocument.Parse(Fixtures.Read(name));
            entries.AddRange(document.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetRawText()));
        }

        return Encoding.UTF8.GetBytes($$"""{"object":"whatsapp_business_account","entry":[{{string.Join(",\n", entries)}}]}""");
    }

    internal static IReadOnlyList<WabaEvent> Split(ReadOnlyMemory<byte> body)
    {
        var result = DeliverySplitter.Split(body, 1);
        Assert.True(result.IsSuccess, result.Error);
        return result.Events;
    }

    // An errors event stands for its whole value, so one whose value lost items comes back with another ID and raw
    // JSON (as MetaEnvelope.Narrow documents); what must survive is its errors, byte for byte.
    private static string Describe(WabaEvent e) => e.Kind == WabaEventKind.Errors
        ? $"{e.Kind} {e.Type} {e.WabaId} {e.PhoneNumberId} {e.OccurredAt:O} {ErrorsOf(e.RawJson)}"
        : $"{e.Kind} {e.Type} {e.Id} {e.WabaId} {e.PhoneNumberId} {e.OccurredAt:O} {Encoding.UTF8.GetString(e.RawJson.Span)}";

    private static string ErrorsOf(ReadOnlyMemory<byte> value)
    {
        using var document = JsonDocument.Parse(value);
        return document.RootElement.EnumerateObject().Last(p => p.Name == "errors").Value.GetRawText();
    }
}
