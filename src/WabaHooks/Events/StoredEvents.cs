using System.Diagnostics.CodeAnalysis;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Events;

/// <summary>
/// Rebuilds stored events from their delivery's body and the locator recorded when they were stored
/// (<see cref="NewEvent.Locator"/>), without splitting the delivery again: dispatch costs no split, and an upgrade that
/// changes how deliveries split still finds exactly the events the processor stored, with their stored IDs and types.
/// </summary>
public static class StoredEvents
{
    /// <summary>Creates a locator for an event just split from <paramref name="body"/>.</summary>
    /// <param name="e">An event of the split.</param>
    /// <param name="body">The body it was split from.</param>
    /// <param name="eventsInDelivery">How many events the split gave.</param>
    /// <returns>The locator to store (<see cref="NewEvent.Locator"/>); empty when <paramref name="e"/> is not a slice of <paramref name="body"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="e"/> is null.</exception>
    public static byte[] Locate(WabaEvent e, ReadOnlySpan<byte> body, int eventsInDelivery)
    {
        ArgumentNullException.ThrowIfNull(e);
        return EventLocator.Encode(e, body, eventsInDelivery);
    }

    /// <summary>Rebuilds a claimed event from its delivery.</summary>
    /// <param name="delivery">The delivery the event was stored from.</param>
    /// <param name="eventId">The event's idempotency key, as stored.</param>
    /// <param name="stored">The stored event, with its locator.</param>
    /// <param name="e">
    /// The event: its ID, type, field, WABA, phone number, time and position as stored; its raw JSON, metadata and
    /// contacts slices of <paramref name="delivery"/>'s body; its payload read as when it was split.
    /// </param>
    /// <returns><see langword="false"/> when the event has no usable locator (stored before locators were); then split the delivery.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static bool TryRebuild(Delivery delivery, string eventId, ClaimedEvent stored, [NotNullWhen(true)] out WabaEvent? e)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(stored);
        e = null;
        var body = delivery.Body;
        if (!EventLocator.TryDecode(stored.Locator.Span, body.Length, out var at))
        {
            return false;
        }

        var raw = body.Slice(at.RawOffset, at.RawLength);
        var metadataJson = body.Slice(at.MetadataOffset, at.MetadataLength);
        string? display = null, phoneNumberId = null;
        var metadata = DeliveryWalker.ReadMetadata(metadataJson.Span, ref display, ref phoneNumberId);
        if (at.Kind == WabaEventKind.Change)
        {
            // A whole change's payload is its typed value, read now as the split reads it; its type stays the stored one.
            var payload = DeliveryWalker.ReadChange(stored.Field, raw.Span, ref metadata, out _, out var error);
            e = new WabaEvent
            {
                Id = eventId,
                Type = stored.Type,
                Kind = at.Kind,
                Field = stored.Field,
                WabaId = stored.WabaId,
                PhoneNumberId = stored.PhoneNumberId,
                OccurredAt = stored.OccurredAt,
                DeliveryId = delivery.Id,
                IsTest = stored.IsTest,
                Position = stored.Position,
                Payload = payload,
                PayloadError = error,
                RawJson = raw,
                Metadata = metadata,
                MetadataJson = metadataJson,
                EventsInDelivery = at.EventsInDelivery,
            };
            return true;
        }

        e = new WabaEvent(at.Payload)
        {
            Id = eventId,
            Type = stored.Type,
            Kind = at.Kind,
            Field = stored.Field,
            WabaId = stored.WabaId,
            PhoneNumberId = stored.PhoneNumberId,
            OccurredAt = stored.OccurredAt,
            DeliveryId = delivery.Id,
            IsTest = stored.IsTest,
            Position = stored.Position,
            RawJson = raw,
            Metadata = metadata,
            MetadataJson = metadataJson,
            ContactsSource = at.ContactsLength == 0 ? null : new ContactsSource(body.Slice(at.ContactsOffset, at.ContactsLength)),
            EventsInDelivery = at.EventsInDelivery,
        };
        return true;
    }

    /// <summary>
    /// Whether <paramref name="events"/>, rebuilt by <see cref="TryRebuild"/> from one delivery, are every event that
    /// delivery was split into when they were stored: then the delivery's body is exactly their envelope in Meta's
    /// format, with no parse (<see cref="Destinations.MetaEnvelope"/>).
    /// </summary>
    /// <param name="events">Events of one delivery.</param>
    /// <returns><see langword="false"/> when one of them was not rebuilt from a locator, or some event of the delivery is missing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    public static bool AreWholeDelivery(IReadOnlyCollection<WabaEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var count = 0;
        long deliveryId = 0;
        ulong seen = 0;
        HashSet<int>? positions = null;
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            if (e.EventsInDelivery == 0 || (count > 0 && (e.EventsInDelivery != count || e.DeliveryId != deliveryId))
                || e.Position < 0 || e.Position >= e.EventsInDelivery)
            {
                return false;
            }

            count = e.EventsInDelivery;
            deliveryId = e.DeliveryId;

            // Positions are distinct within a split; a bit mask counts the usual few without a set.
            if (e.Position < 64)
            {
                seen |= 1UL << e.Position;
            }
            else
            {
                (positions ??= []).Add(e.Position);
            }
        }

        return count > 0 && System.Numerics.BitOperations.PopCount(seen) + (positions?.Count ?? 0) == count;
    }
}
