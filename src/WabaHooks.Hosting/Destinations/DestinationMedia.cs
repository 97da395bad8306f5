using WabaHooks.Events;
using WabaHooks.Hosting.Media;
using WabaHooks.Media;
using WabaHooks.Payloads;

namespace WabaHooks.Hosting.Destinations;

/// <summary>
/// The media kept on arrival as one destination sees it: the stored media an <c>event</c> message carries, and whether
/// an event waits for its media (<see cref="DestinationOptions.WaitForMedia"/>). Absent (<see langword="null"/> in the
/// loop) when media is not kept in this process.
/// </summary>
internal sealed class DestinationMedia(IMediaStore store, IKeptMediaPolicy policy, DestinationOptions destination)
{
    /// <summary>Whether a media message's event is looked up at all: to carry its media, or to wait for it.</summary>
    private bool Looks => destination.WaitForMedia || destination.Format == DestinationFormat.Event;

    /// <summary>
    /// For <paramref name="e"/>: its message's kept media (to carry in the <c>event</c> format), or, when the
    /// destination waits and the media is kept here but not yet, what it waits for. Neither for an event that is not an
    /// inbound media message.
    /// </summary>
    public async Task<(StoredMedia? Kept, MediaReference? Awaited)> LookUpAsync(WabaEvent e, CancellationToken cancellationToken)
    {
        if (!Looks || e.Payload is not InboundMessage message || MediaReference.Of(message) is not { } media)
        {
            return (null, null);
        }

        var kept = await store.FindAsync(media.Wamid, cancellationToken).ConfigureAwait(false);
        // Media kept under this wamid for another media id is not this event's.
        kept = kept?.MediaId == media.MediaId ? kept : null;
        var awaited = kept is null && destination.WaitForMedia && policy.Keeps(media, e.IsTest) ? media : null;
        return (destination.Format == DestinationFormat.Event ? kept : null, awaited);
    }
}
