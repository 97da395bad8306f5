namespace WabaHooks.Events;

/// <summary>What part of a delivery an event was split from.</summary>
public enum WabaEventKind
{
    /// <summary>One <c>messages[]</c> item of a <c>messages</c> change.</summary>
    Message,

    /// <summary>One <c>statuses[]</c> item of a <c>messages</c> change.</summary>
    Status,

    /// <summary>The <c>errors[]</c> of a <c>messages</c> or <c>calls</c> change (system, app, account or call errors).</summary>
    Errors,

    /// <summary>A whole change of any other field (or a <c>messages</c> or <c>calls</c> change with nothing to split).</summary>
    Change,

    /// <summary>One <c>calls[]</c> item of a <c>calls</c> change.</summary>
    Call,

    /// <summary>One <c>statuses[]</c> item with <c>type: "call"</c> of a <c>calls</c> change.</summary>
    CallStatus,

    /// <summary>
    /// One item of a field whose value is a list of independent items: <c>automatic_events[]</c>, the <c>events[]</c> of
    /// <c>tracking_events</c>, <c>user_id_update[]</c>, the <c>groups[]</c> of a group field.
    /// </summary>
    Item,
}
