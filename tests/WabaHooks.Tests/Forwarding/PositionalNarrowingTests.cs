using System.Text;
using WabaHooks.Destinations;
using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using WabaHooks.Testing.Fuzzing;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Forwarding;

/// <summary>
/// Narrowing by the stored positions alone (events rebuilt from their locators, no split) against narrowing against a
/// new split: for the splits of today's splitter the two must write the same bytes.
/// </summary>
public sealed class PositionalNarrowingTests
{
    // Every subset up to this many events; beyond it, every single event, every pair, every event but one, and every
    // other event.
    private const int ExhaustiveUpTo = 10;

    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var name in Fixtures.Names)
        {
            data.Add(name);
        }

        data.Add(AllInOne);
        return data;
    }

    private const string AllInOne = "(every example payload in one delivery)";

    [Theory]
    [MemberData(nameof(Sources))]
    public void Narrowing_events_rebuilt_from_their_locators_writes_the_same_bytes_as_narrowing_against_a_split(string source)
    {
        var body = MetaEnvelopeTests.Body(source);
        var all = MetaEnvelopeTests.Split(body);
        var rebuilt = Rebuild(body, all);
        var compared = 0;

        foreach (var subset in Subsets(all.Count))
        {
            var expected = MetaEnvelope.Narrow(body, all, subset.Select(i => all[i]).ToArray());

            var actual = MetaEnvelope.Narrow(body, subset.Select(i => rebuilt[i]).ToArray());

            if (!expected.Span.SequenceEqual(actual.Span))
            {
                Assert.Fail($"events [{string.Join(",", subset)}] of {source}:\nexpected {Encoding.UTF8.GetString(expected.Span)}\nactual   {Encoding.UTF8.GetString(actual.Span)}");
            }

            compared++;
        }

        Assert.True(compared >= Math.Min(all.Count, 1), "nothing was compared");
    }

    [Fact]
    public void Narrowing_mutated_deliveries_by_position_writes_the_same_bytes_as_narrowing_against_their_split()
    {
        // Shapes Meta does not send (types swapped, properties removed or repeated): wherever the split-based
        // narrowing builds an envelope, the positional one builds the same.
        var mutator = new PayloadMutator(19, PayloadMutator.ReadTemplates(Fixtures.EmbeddedDirectory), 64 * 1024);
        var failures = new List<string>();
        var compared = 0;
        for (var index = 0; index < 8000 && failures.Count < 5; index++)
        {
            var fuzz = mutator.Make(index);
            var split = DeliverySplitter.Split(fuzz.Body, 1);
            if (!split.IsSuccess || split.Events.Count < 2 || split.Events.Any(e => e.RawJson.IsEmpty))
            {
                continue;
            }

            var all = split.Events;
            var rebuilt = Rebuild(fuzz.Body, all);
            foreach (var subset in Subsets(all.Count).Take(40))
            {
                ReadOnlyMemory<byte> expected;
                try
                {
                    expected = MetaEnvelope.Narrow(fuzz.Body, all, subset.Select(i => all[i]).ToArray());
                }
                catch (ArgumentException)
                {
                    continue;
                }

                var actual = MetaEnvelope.Narrow(fuzz.Body, subset.Select(i => rebuilt[i]).ToArray());
                compared++;
                if (!expected.Span.SequenceEqual(actual.Span))
                {
                    failures.Add($"events [{string.Join(",", subset)}] of {fuzz.Describe()}:\nexpected {Encoding.UTF8.GetString(expected.Span)}\nactual   {Encoding.UTF8.GetString(actual.Span)}");
                    break;
                }
            }
        }

        Assert.True(compared > 1000, $"only {compared} narrowings compared");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Carrying_every_event_returns_the_body_itself()
    {
        var body = Fixtures.Read("messages-batched-mixed.json");
        var rebuilt = Rebuild(body, MetaEnvelopeTests.Split(body));

        var narrowed = MetaEnvelope.Narrow(body, rebuilt);

        Assert.True(narrowed.Span == body.AsSpan(), "expected the same memory, not a copy");
    }

    [Fact]
    public void An_event_that_is_not_a_slice_of_the_body_is_refused_rather_than_left_out()
    {
        ReadOnlyMemory<byte> body = Fixtures.Read("messages-batched-mixed.json");
        var copy = Fixtures.Read("messages-batched-mixed.json");
        var stranger = MetaEnvelopeTests.Split(copy)[0];

        Assert.Throws<ArgumentException>(() => MetaEnvelope.Narrow(body, [stranger]));
    }

    [Fact]
    public void An_item_slice_that_is_no_list_element_is_refused_rather_than_left_out()
    {
        var body = Fixtures.Read("messages-text.json");
        var message = Rebuild(body, MetaEnvelopeTests.Split(body))[0];
        // The message's "text" object: inside the value, but no element of any list.
        var start = body.AsSpan().IndexOf("\"text\""u8);
        start += body.AsSpan(start).IndexOf((byte)'{');
        var end = start + body.AsSpan(start).IndexOf((byte)'}') + 1;
        var inner = Rebuild(body, [WithRaw(message, body.AsMemory(start..end))])[0];

        Assert.Throws<ArgumentException>(() => MetaEnvelope.Narrow(body, [inner]));
    }

    /// <summary>The events as dispatch sees them: rebuilt from the locators stored with them, with no split.</summary>
    internal static WabaEvent[] Rebuild(byte[] body, IReadOnlyList<WabaEvent> split)
    {
        var delivery = new Delivery(new DeliverySummary(1, DateTimeOffset.UnixEpoch, "app", body.Length, DeliveryFlags.None), body);
        return [.. split.Select(e =>
        {
            var stored = new ClaimedEvent(e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.IsTest,
                StoredEvents.Locate(e, body, split.Count));
            Assert.True(StoredEvents.TryRebuild(delivery, e.Id, stored, out var rebuilt), $"event {e.Id} has no usable locator");
            return rebuilt;
        })];
    }

    /// <summary>An event like <paramref name="e"/> whose raw JSON is <paramref name="raw"/>, as a splitter could have cut it.</summary>
    private static WabaEvent WithRaw(WabaEvent e, ReadOnlyMemory<byte> raw) => new(LazyPayload.Message)
    {
        Id = e.Id,
        Type = e.Type,
        Kind = e.Kind,
        Field = e.Field,
        WabaId = e.WabaId,
        DeliveryId = e.DeliveryId,
        Position = e.Position,
        RawJson = raw,
        MetadataJson = e.MetadataJson,
    };

    private static IEnumerable<int[]> Subsets(int count)
    {
        if (count <= ExhaustiveUpTo)
        {
            for (var mask = 1; mask < 1 << count; mask++)
            {
                yield return [.. Enumerable.Range(0, count).Where(i => (mask & (1 << i)) != 0)];
            }

            yield break;
        }

        for (var i = 0; i < count; i++)
        {
            yield return [i];
            yield return [.. Enumerable.Range(0, count).Where(j => j != i)];
            for (var j = i + 1; j < count; j++)
            {
                yield return [i, j];
            }
        }

        foreach (var parity in (int[])[0, 1])
        {
            yield return [.. Enumerable.Range(0, count).Where(i => i % 2 == parity)];
        }

        yield return [.. Enumerable.Range(0, count)];
    }
}
