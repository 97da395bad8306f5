using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Payloads;
using WabaHooks.Storage;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Events;

public sealed class StoredEventsTests
{
    public static TheoryData<string> Payloads() => Fixtures.All();

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Every_event_of_every_example_is_rebuilt_from_its_locator_as_the_split_gave_it(string name)
    {
        var delivery = DeliveryOf(Fixtures.Read(name));
        var split = DeliverySplitter.Split(delivery).Events;
        Assert.NotEmpty(split);

        foreach (var e in split)
        {
            var rebuilt = Rebuild(delivery, e, split.Count);

            Assert.Equal(
                (e.Id, e.Type, e.Kind, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.DeliveryId, e.IsTest, e.Position),
                (rebuilt.Id, rebuilt.Type, rebuilt.Kind, rebuilt.Field, rebuilt.WabaId, rebuilt.PhoneNumberId, rebuilt.OccurredAt, rebuilt.DeliveryId, rebuilt.IsTest, rebuilt.Position));
            // The same slice of the same buffer, not a copy: the narrower matches events by where their bytes lie.
            Assert.True(rebuilt.RawJson.Span == e.RawJson.Span || (rebuilt.RawJson.IsEmpty && e.RawJson.IsEmpty), $"{e}: raw JSON is another slice");
            Assert.Equal(e.Metadata?.PhoneNumberId, rebuilt.Metadata?.PhoneNumberId);
            Assert.Equal(e.Metadata?.DisplayPhoneNumber, rebuilt.Metadata?.DisplayPhoneNumber);
            Assert.Equal(e.Contacts?.Select(c => c.WaId), rebuilt.Contacts?.Select(c => c.WaId));
            Assert.Equal(e.Payload.GetType(), rebuilt.Payload.GetType());
            Assert.Equal(e.PayloadError, rebuilt.PayloadError);
        }
    }

    [Fact]
    public void Every_event_of_a_delivery_rebuilt_from_locators_is_the_whole_delivery_and_fewer_are_not()
    {
        var delivery = DeliveryOf(Fixtures.Read("messages-batched-mixed.json"));
        var split = DeliverySplitter.Split(delivery).Events;
        var rebuilt = split.Select(e => Rebuild(delivery, e, split.Count)).ToList();
        Assert.True(split.Count > 1);

        Assert.True(StoredEvents.AreWholeDelivery(rebuilt));
        Assert.True(StoredEvents.AreWholeDelivery([.. rebuilt.AsEnumerable().Reverse()]));
        Assert.False(StoredEvents.AreWholeDelivery(rebuilt.Skip(1).ToList()));
        Assert.False(StoredEvents.AreWholeDelivery([.. rebuilt.Skip(1), rebuilt[1]]), "a repeated event does not stand in for a missing one");
        // Split events carry no record of how many the delivery had when stored.
        Assert.False(StoredEvents.AreWholeDelivery(split.ToList()));
    }

    [Fact]
    public void An_event_is_rebuilt_with_its_stored_key_and_type_even_when_the_split_now_gives_others()
    {
        var delivery = DeliveryOf(Fixtures.Read("messages-text.json"));
        var e = Assert.Single(DeliverySplitter.Split(delivery).Events);
        var stored = new ClaimedEvent("messages.older_type", e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.IsTest, StoredEvents.Locate(e, delivery.Body.Span, 1));

        Assert.True(StoredEvents.TryRebuild(delivery, "older-key-scheme:1", stored, out var rebuilt));

        Assert.Equal(("older-key-scheme:1", "messages.older_type"), (rebuilt.Id, rebuilt.Type));
        Assert.Equal(e.RawJson.ToArray(), rebuilt.RawJson.ToArray());
        Assert.IsAssignableFrom<InboundMessage>(rebuilt.Payload);
    }

    [Fact]
    public void No_locator_or_one_that_does_not_fit_the_body_reads_as_none()
    {
        var delivery = DeliveryOf(Fixtures.Read("messages-text.json"));
        var e = Assert.Single(DeliverySplitter.Split(delivery).Events);
        var locator = StoredEvents.Locate(e, delivery.Body.Span, 1);
        var shorter = DeliveryOf(delivery.Body[..(delivery.Body.Length / 2)].ToArray());

        Assert.False(StoredEvents.TryRebuild(delivery, e.Id, Stored(e, ReadOnlyMemory<byte>.Empty), out _));
        Assert.False(StoredEvents.TryRebuild(delivery, e.Id, Stored(e, locator[..^1]), out _));
        Assert.False(StoredEvents.TryRebuild(delivery, e.Id, Stored(e, (byte[])[9, .. locator[1..]]), out _));
        Assert.False(StoredEvents.TryRebuild(shorter, e.Id, Stored(e, locator), out _));
    }

    [Fact]
    public void An_event_that_is_not_a_slice_of_the_body_gets_no_locator()
    {
        var delivery = DeliveryOf(Fixtures.Read("messages-text.json"));
        var e = Assert.Single(DeliverySplitter.Split(delivery).Events);

        Assert.Empty(StoredEvents.Locate(e, delivery.Body.ToArray(), 1));
    }

    private static WabaEvent Rebuild(Delivery delivery, WabaEvent e, int eventsInDelivery)
    {
        var locator = StoredEvents.Locate(e, delivery.Body.Span, eventsInDelivery);
        Assert.NotEmpty(locator);
        Assert.True(StoredEvents.TryRebuild(delivery, e.Id, Stored(e, locator), out var rebuilt), $"{e} rebuilds");
        return rebuilt;
    }

    private static ClaimedEvent Stored(WabaEvent e, ReadOnlyMemory<byte> locator) =>
        new(e.Type, e.Field, e.WabaId, e.PhoneNumberId, e.OccurredAt, e.Position, e.IsTest, locator);

    private static Delivery DeliveryOf(byte[] body) =>
        new(new DeliverySummary(7, DateTimeOffset.UnixEpoch, "app", body.Length, DeliveryFlags.None), body);
}
