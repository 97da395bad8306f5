using WabaHooks.Events;
using WabaHooks.Inbox;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Sinks;

/// <summary>
/// A delivery split again for dispatch. Typed events are not stored: the raw bytes are the record and splitting is
/// deterministic, so a sink gets exactly what the processor routed.
/// </summary>
internal sealed class DeliveryEvents
{
    private readonly Dictionary<string, WabaEvent> _byId = new(StringComparer.Ordinal);

    private DeliveryEvents(Delivery delivery, IReadOnlyList<WabaEvent> all)
    {
        Delivery = delivery;
        All = all;
        foreach (var e in all)
        {
            // The first occurrence is the one the processor stored (a later one in the same delivery was a duplicate).
            _byId.TryAdd(e.Id, e);
        }
    }

    public Delivery Delivery { get; }

    /// <summary>Every event of the delivery, in order.</summary>
    public IReadOnlyList<WabaEvent> All { get; }

    public bool TryGet(string eventId, out WabaEvent e) => _byId.TryGetValue(eventId, out e!);

    /// <summary>The delivery's events, or <see langword="null"/> when it is no longer in the inbox.</summary>
    public static async Task<DeliveryEvents?> LoadAsync(IDeliveryStore deliveries, long deliveryId)
    {
        // Not cancellable: claimed work is always carried through to a recorded outcome.
        var delivery = await deliveries.GetAsync(deliveryId, CancellationToken.None).ConfigureAwait(false);
        return delivery is null ? null : new DeliveryEvents(delivery, DeliverySplitter.Split(delivery).Events);
    }
}
