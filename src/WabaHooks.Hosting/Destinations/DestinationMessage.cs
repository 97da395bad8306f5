using WabaHooks.Events;

namespace WabaHooks.Hosting.Destinations;

/// <summary>One message to a destination.</summary>
/// <param name="Id">
/// The idempotency key: the event's id when the message carries one event (the same on every attempt and replay, so the
/// receiver or the broker can drop repeats); for an envelope of several events, the first one's.
/// </param>
/// <param name="Body">The exact bytes to send, in the destination's <see cref="DestinationOptions.Format"/>.</param>
/// <param name="Events">The events it carries, at least one; a broker names its routing key or subject after the first.</param>
public sealed record DestinationMessage(string Id, ReadOnlyMemory<byte> Body, IReadOnlyList<WabaEvent> Events)
{
    /// <summary>The first event: the only one, unless HTTP carries a delivery's events in one envelope.</summary>
    public WabaEvent Event => Events[0];
}
