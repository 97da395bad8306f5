using WabaHooks.Payloads;

namespace WabaHooks.Events;

/// <summary>
/// The current status of a sent message as a monotonic maximum, because Meta guarantees no order and sometimes skips
/// <c>delivered</c>: <c>sent</c> &lt; <c>delivered</c> &lt; <c>read</c> &lt; <c>played</c>, with <c>failed</c> final.
/// </summary>
public static class MessageStatusOrder
{
    /// <summary>
    /// The rank of a status: 1 <c>sent</c>, 2 <c>delivered</c>, 3 <c>read</c>, 4 <c>played</c>, 5 <c>failed</c>;
    /// 0 for <see langword="null"/> or any other value.
    /// </summary>
    public static int Rank(string? status) => status switch
    {
        MessageStatus.Sent => 1,
        MessageStatus.Delivered => 2,
        MessageStatus.Read => 3,
        MessageStatus.Played => 4,
        MessageStatus.Failed => 5,
        _ => 0,
    };

    /// <summary>
    /// Whether <paramref name="incoming"/> should replace <paramref name="current"/>. An unknown status never moves it;
    /// nothing moves it once <c>failed</c>; <c>failed</c> moves any other status, as Meta's last word on the message.
    /// </summary>
    /// <param name="current">The status held now; <see langword="null"/> when none yet.</param>
    /// <param name="incoming">The status just received.</param>
    public static bool ShouldAdvance(string? current, string? incoming)
    {
        var next = Rank(incoming);
        return next > 0 && next > Rank(current);
    }
}
