using System.Text.Json;
using WabaHooks.Inbox;

namespace WabaHooks.Events;

/// <summary>
/// Splits one delivery into <see cref="WabaEvent"/>s: one per inbound message, one per status, one per call event and
/// call status of a <c>calls</c> change, one per set of value-level errors in a <c>messages</c> or <c>calls</c> change,
/// one per item of a field whose value is a list of independent items (<c>automatic_events</c>, <c>tracking_events</c>,
/// <c>user_id_update</c>, the group fields), and one per change of any other field. Every entry and every change is
/// visited.
/// </summary>
/// <remarks>
/// The list items of those fields are keyed by their own bytes (see <see cref="IdempotencyKeys"/>), as Meta gives them
/// no ID; a redelivery repeats the bytes. Other list-shaped fields (<c>user_preferences</c>, <c>smb_message_echoes</c>,
/// <c>smb_app_state_sync</c>, <c>history</c>) stay one event per change: their items depend on one another (history
/// chunks, sync phases) or were stored that way before, and changing their keys would let redeliveries through.
/// The bytes are read once by a forward reader that records where each item lies and reads only what routing and
/// deduplication need: the ID (hence the key), the type name and the timestamp. A message's, call's, status's or errors'
/// <see cref="WabaEvent.Payload"/> is deserialised from its own slice when first read, so a malformed item costs only
/// itself, and only when someone looks; <see cref="WabaEvent.RawJson"/> needs no copy. Both read the body's buffer, so
/// it must stay unchanged while the events are in use (copy it first if it is pooled). Changes of other fields are
/// deserialised during the split, since their event's metadata comes from the typed value.
/// </remarks>
public static class DeliverySplitter
{
    /// <summary>Splits a stored delivery.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <returns>The events, or why the body could not be split. Never throws for bad input.</returns>
    public static SplitResult Split(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return Split(delivery.Body, delivery.Id, delivery.Summary.Flags.HasFlag(DeliveryFlags.Test));
    }

    /// <summary>Splits a delivery body.</summary>
    /// <param name="body">The raw body bytes as Meta sent them. The events' <see cref="WabaEvent.RawJson"/> are slices of it.</param>
    /// <param name="deliveryId">The delivery's inbox ID, copied to every event.</param>
    /// <returns>The events, or why the body could not be split. Never throws for bad input.</returns>
    public static SplitResult Split(ReadOnlyMemory<byte> body, long deliveryId) => Split(body, deliveryId, isTest: false);

    /// <summary>Splits a delivery body, marking every event as test traffic when the delivery carried the test mark.</summary>
    /// <param name="body">The raw body bytes as Meta sent them. The events' <see cref="WabaEvent.RawJson"/> are slices of it.</param>
    /// <param name="deliveryId">The delivery's inbox ID, copied to every event.</param>
    /// <param name="isTest">Whether the delivery carried <see cref="DeliveryFlags.Test"/>, copied to every event.</param>
    /// <returns>The events, or why the body could not be split. Never throws for bad input.</returns>
    public static SplitResult Split(ReadOnlyMemory<byte> body, long deliveryId, bool isTest)
    {
        var events = new List<WabaEvent>();
        try
        {
            var outcome = DeliveryWalker.Walk(body, deliveryId, isTest, events);
            return outcome == SplitFailure.None
                ? SplitResult.Success(events)
                : SplitResult.Failed(outcome, outcome == SplitFailure.UnexpectedObject
                    ? "the body is not a whatsapp_business_account notification"
                    : "the body is not a JSON object");
        }
        catch (JsonException ex)
        {
            return SplitResult.Failed(SplitFailure.NotJson, ex.Message);
        }
        catch (MalformedEnvelopeException ex)
        {
            return SplitResult.Failed(SplitFailure.MalformedEnvelope, ex.Message);
        }
    }
}
