using WabaHooks.Destinations;
using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Sinks;

/// <summary>
/// The claimed events of one delivery, rebuilt for dispatch. Typed events are not stored: the raw bytes are the record.
/// An event stored with its locator is rebuilt from the slices it names (<see cref="StoredEvents.TryRebuild"/>), with
/// no split, so it is exactly the event the processor stored whatever the splitter does now; one stored before
/// locators were is found by splitting the delivery again, as it always was. A narrowed envelope likewise comes from the
/// stored positions alone when every carried event was rebuilt from its locator.
/// </summary>
internal sealed class DeliveryEvents
{
    private Dictionary<string, WabaEvent>? _byId;
    private IReadOnlyList<WabaEvent>? _all;

    // The events rebuilt from their locators, by reference: those a narrowed envelope can find by position alone.
    private readonly HashSet<WabaEvent> _located = new(ReferenceEqualityComparer.Instance);

    private DeliveryEvents(Delivery delivery) => Delivery = delivery;

    public Delivery Delivery { get; }

    /// <summary>The claimed item's event; false when the delivery no longer yields it.</summary>
    public bool TryGet(SinkWorkItem item, out WabaEvent e)
    {
        if (item.Event is { } stored && StoredEvents.TryRebuild(Delivery, item.EventId, stored, out var rebuilt))
        {
            e = rebuilt;
            _located.Add(rebuilt);
            return true;
        }

        return Split().TryGetValue(item.EventId, out e!);
    }

    /// <summary>
    /// The body in Meta's format for <paramref name="carried"/>: the delivery's own bytes, unparsed, when they are all
    /// of its events as stored; otherwise the delivery narrowed to them: by where their stored slices lie when each was
    /// rebuilt from its locator (<see cref="MetaEnvelope.Narrow(ReadOnlyMemory{byte}, IReadOnlyCollection{WabaEvent})"/>,
    /// so an upgrade that changes the splitter still narrows them as stored), or against a new split for work stored
    /// before locators were.
    /// </summary>
    public ReadOnlyMemory<byte> NarrowTo(IReadOnlyCollection<WabaEvent> carried)
    {
        if (StoredEvents.AreWholeDelivery(carried))
        {
            return Delivery.Body;
        }

        // An empty slice (a change with no value, a shape Meta does not send) has no position to narrow by.
        if (carried.All(e => _located.Contains(e) && !e.RawJson.IsEmpty))
        {
            return MetaEnvelope.Narrow(Delivery.Body, carried);
        }

        Split();
        return MetaEnvelope.Narrow(Delivery.Body, _all!, carried);
    }

    /// <summary>The delivery's events, or <see langword="null"/> when it is no longer in the inbox.</summary>
    public static async Task<DeliveryEvents?> LoadAsync(IDeliveryStore deliveries, long deliveryId)
    {
        // Not cancellable: claimed work is always carried through to a recorded outcome.
        var delivery = await deliveries.GetAsync(deliveryId, CancellationToken.None).ConfigureAwait(false);
        return delivery is null ? null : new DeliveryEvents(delivery);
    }

    /// <summary>Splits the delivery once, when an event has no locator or a narrowed envelope needs every event.</summary>
    private Dictionary<string, WabaEvent> Split()
    {
        if (_byId is null)
        {
            _all = DeliverySplitter.Split(Delivery).Events;
            _byId = new Dictionary<string, WabaEvent>(_all.Count, StringComparer.Ordinal);
            foreach (var e in _all)
            {
                // The first occurrence is the one the processor stored (a later one in the same delivery was a duplicate).
                _byId.TryAdd(e.Id, e);
            }
        }

        return _byId;
    }
}
