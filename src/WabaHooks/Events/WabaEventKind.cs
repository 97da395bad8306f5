namespace WabaHooks.Events;

/// <summary>What part of a delivery an event was split from.</summary>
public enum WabaEventKind
{
    /// <summary>One <c>messages[]</c> item of a <c>messages</c> change.</summary>
    Message,

    /// <summary>One <c>statuses[]</c> item of a <c>messages</c> change.</summary>
    Status,

    /// <summary>The <c>errors[]</c> of a <c>messages</c> change (system, app or account errors).</summary>
    Errors,

    /// <summary>A whole change of any other field (or a <c>messages</c> change with no messages, statuses or errors).</summary>
    Change,
}
