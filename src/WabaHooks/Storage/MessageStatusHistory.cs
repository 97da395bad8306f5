namespace WabaHooks.Storage;

/// <summary>An outbound message's current status and every status received for it.</summary>
/// <param name="Wamid">The message id.</param>
/// <param name="Current">The current status: the highest of sent &lt; delivered &lt; read &lt; played, or failed, which is final.</param>
/// <param name="RecipientId">The recipient of the current status.</param>
/// <param name="UpdatedAt">The timestamp of the status that set <paramref name="Current"/>.</param>
/// <param name="Timeline">Every status received, in the order they were stored.</param>
public sealed record MessageStatusHistory(string Wamid, string Current, string? RecipientId, DateTimeOffset? UpdatedAt, IReadOnlyList<StatusTransition> Timeline);

/// <summary>One status received for a message.</summary>
/// <param name="EventId">The status event's idempotency key.</param>
/// <param name="Status">The status as Meta sent it.</param>
/// <param name="Timestamp">Meta's timestamp.</param>
/// <param name="RecipientId">Who it is about.</param>
/// <param name="DeliveryId">The delivery it came in.</param>
/// <param name="Applied">Whether it moved the current status (a late <c>delivered</c> after <c>read</c> does not).</param>
public sealed record StatusTransition(string EventId, string Status, DateTimeOffset? Timestamp, string? RecipientId, long DeliveryId, bool Applied);
