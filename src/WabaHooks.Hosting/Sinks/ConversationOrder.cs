using Microsoft.Extensions.Logging;
using WabaHooks.Hosting.Diagnostics;
using WabaHooks.Sinks;
using WabaHooks.Storage;

namespace WabaHooks.Hosting.Sinks;

/// <summary>
/// What handler and destination loops share for ordered sinks: how they claim, and how the two exceptions to the order
/// are made visible — an event handed over late, and a dead letter releasing its conversation.
/// </summary>
internal static partial class ConversationOrder
{
    /// <summary>Claims in order for an ordered sink, as before otherwise.</summary>
    public static Task<IReadOnlyList<SinkWorkItem>> ClaimAsync(
        ISinkWorkStore work, string sink, SinkOrdering ordering, TimeSpan reorderWindow, int limit, DateTimeOffset now, TimeSpan lease) =>
        // Not cancellable: once claimed, work is started (and drained or released at shutdown), never stranded under a lease.
        ordering == SinkOrdering.PerConversation
            ? work.ClaimDueInOrderAsync(sink, limit, now, lease, reorderWindow, CancellationToken.None)
            : work.ClaimDueAsync(sink, limit, now, lease, CancellationToken.None);

    /// <summary>Logs and counts an item claimed after a later event of its conversation was handed over.</summary>
    public static void NoteIfLate(SinkWorkItem item, WabaHooksMetrics metrics, ILogger logger)
    {
        if (item.IsLate && item.ConversationKey is { } key)
        {
            metrics.OrderingException(item.Sink, "late");
            HandedOverLate(logger, item.Sink, item.EventId, key);
        }
    }

    /// <summary>
    /// The error to record for a dead letter: for an ordered item it also says that its conversation goes on without it,
    /// which is logged and counted here, so the release shows in the attempt, the dead letter, the log and the metrics.
    /// </summary>
    public static string DeadLetterError(SinkWorkItem item, string error, WabaHooksMetrics metrics, ILogger logger)
    {
        if (item.ConversationKey is not { } key)
        {
            return error;
        }

        metrics.OrderingException(item.Sink, "released");
        Released(logger, item.Sink, item.EventId, key);
        return $"{error} [dead-lettered: conversation {key} released to its next event]";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sink}: event {EventId} of conversation {Conversation} arrived after a later event of it was handed over; handing it over late")]
    private static partial void HandedOverLate(ILogger logger, string sink, string eventId, string conversation);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Sink}: event {EventId} is dead-lettered; conversation {Conversation} is released and goes on with its next event")]
    private static partial void Released(ILogger logger, string sink, string eventId, string conversation);
}
