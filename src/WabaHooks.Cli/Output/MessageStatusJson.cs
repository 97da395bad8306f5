using WabaHooks.Storage;

namespace WabaHooks.Cli.Output;

/// <summary><c>messages status --json</c>: the current status and every status received, in storage order.</summary>
internal sealed record MessageStatusJson(string Wamid, string Current, string? RecipientId, DateTimeOffset? UpdatedAt, IReadOnlyList<StatusTransitionJson> Timeline)
{
    public static MessageStatusJson From(MessageStatusHistory h) =>
        new(h.Wamid, h.Current, h.RecipientId, h.UpdatedAt, [.. h.Timeline.Select(StatusTransitionJson.From)]);
}

/// <summary>One status received; <see cref="Applied"/> says whether it moved the current status.</summary>
internal sealed record StatusTransitionJson(string Status, DateTimeOffset? Timestamp, string? RecipientId, long DeliveryId, string EventId, bool Applied)
{
    public static StatusTransitionJson From(StatusTransition t) =>
        new(t.Status, t.Timestamp, t.RecipientId, t.DeliveryId, t.EventId, t.Applied);
}
