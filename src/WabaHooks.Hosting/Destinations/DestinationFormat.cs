namespace WabaHooks.Hosting.Destinations;

/// <summary>What an HTTP destination receives.</summary>
public enum DestinationFormat
{
    /// <summary>
    /// Meta's own envelope, signed with <c>X-Hub-Signature-256</c> under the destination's secret, so an existing
    /// WhatsApp webhook handler works behind WabaHooks unchanged. The whole delivery as Meta sent it when every event
    /// in it is for the destination; otherwise an envelope narrowed to those events
    /// (see <see cref="WabaHooks.Destinations.MetaEnvelope"/>).
    /// </summary>
    Meta = 0,

    /// <summary>
    /// One WabaHooks event per request (see <see cref="WabaHooks.Destinations.EventEnvelope.Write(WabaHooks.Events.WabaEvent, WabaHooks.Media.StoredMedia?)"/>; with the kept media of a media message, see <see cref="DestinationOptions.WaitForMedia"/>), signed with the Standard
    /// Webhooks headers <c>webhook-id</c> (the idempotency key), <c>webhook-timestamp</c> and <c>webhook-signature</c>.
    /// </summary>
    Event = 1,
}
