namespace WabaHooks.Sinks;

/// <summary>Whether a sink (handler or destination) receives events in order.</summary>
public enum SinkOrdering
{
    /// <summary>
    /// No order: events are handed over as they come due, several at once, and a retried event can arrive after later
    /// ones. The default, and the fastest.
    /// </summary>
    None = 0,

    /// <summary>
    /// One event at a time per conversation (<see cref="Events.ConversationKeys"/>), in the order of Meta's timestamps and
    /// then of arrival. A failing event holds back only its own conversation; other conversations keep flowing.
    /// </summary>
    PerConversation = 1,
}
