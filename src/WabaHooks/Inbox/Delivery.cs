namespace WabaHooks.Inbox;

/// <summary>What the inbox knows about one stored delivery, without its body.</summary>
/// <param name="Id">The inbox sequence number: ascending in commit order.</param>
/// <param name="ReceivedAt">When the request arrived.</param>
/// <param name="AppId">The app whose secret verified the signature.</param>
/// <param name="Length">The body length in bytes.</param>
/// <param name="Flags">Parse problems found when it arrived.</param>
/// <param name="TraceParent">The W3C <c>traceparent</c> of the span that received it; <see langword="null"/> when none was recorded.</param>
public sealed record DeliverySummary(long Id, DateTimeOffset ReceivedAt, string AppId, int Length, DeliveryFlags Flags, string? TraceParent = null);

/// <summary>A stored delivery with its body, byte for byte as received.</summary>
/// <param name="Summary">The delivery's metadata.</param>
/// <param name="Body">The raw body bytes.</param>
public sealed record Delivery(DeliverySummary Summary, ReadOnlyMemory<byte> Body)
{
    /// <summary>The inbox sequence number.</summary>
    public long Id => Summary.Id;
}
