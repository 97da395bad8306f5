namespace WabaHooks.Inbox;

/// <summary>A verified delivery on its way into the inbox: the raw bytes Meta signed and what is known about them.</summary>
/// <param name="Body">The exact request body bytes. Never re-serialised.</param>
/// <param name="ReceivedAt">When the request arrived.</param>
/// <param name="AppId">The app whose secret verified the signature (<see cref="Signatures.AppSecret.AppId"/>).</param>
/// <param name="Flags">Whether the body parses as a WhatsApp notification.</param>
/// <param name="TraceParent">
/// The W3C <c>traceparent</c> of the span that received it, when something listened: stored with the delivery so the
/// processing and sink spans link back to it, even after a restart.
/// </param>
public sealed record InboundDelivery(ReadOnlyMemory<byte> Body, DateTimeOffset ReceivedAt, string AppId, DeliveryFlags Flags, string? TraceParent = null);
