using WabaHooks.Payloads;

namespace WabaHooks.Events;

/// <summary>
/// The names in <see cref="WabaEvent.Type"/>, in Meta's words. The set is closed — anything the library does not model
/// maps to an <c>unknown</c> name — so a consumer can subscribe to names without guessing:
/// <list type="bullet">
/// <item><c>messages.{type}</c> for each type in <see cref="MessageTypes"/> except <c>interactive</c>, for example <c>messages.text</c>, <c>messages.reaction</c>, <c>messages.unsupported</c>;</item>
/// <item><c>messages.interactive.button_reply</c>, <c>messages.interactive.list_reply</c>, <c>messages.interactive.nfm_reply</c>,
/// <c>messages.interactive.call_permission_reply</c>, and <c>messages.interactive.unknown</c> for any other reply type;</item>
/// <item><c>messages.unknown</c> for a message type the library does not model;</item>
/// <item><c>statuses.sent</c>, <c>statuses.delivered</c>, <c>statuses.read</c>, <c>statuses.played</c>, <c>statuses.failed</c>, and <c>statuses.unknown</c> for any other status;</item>
/// <item><c>messages.errors</c> for the value-level <c>errors</c> of a <c>messages</c> change;</item>
/// <item><c>messages</c> for a <c>messages</c> change that holds none of messages, statuses or errors;</item>
/// <item><c>calls.connect</c>, <c>calls.terminate</c>, <c>calls.call_created</c>, <c>calls.call_recording_available</c>,
/// <c>calls.call_transcription_available</c>, and <c>calls.unknown</c> for any other <c>event</c>, one per <c>calls[]</c> item;</item>
/// <item><c>calls.statuses.ringing</c>, <c>calls.statuses.accepted</c>, <c>calls.statuses.rejected</c>, and
/// <c>calls.statuses.unknown</c> for any other status, one per <c>statuses[]</c> item with <c>type: "call"</c> (other
/// <c>statuses[]</c> items of a <c>calls</c> change are named as message statuses);</item>
/// <item><c>calls.errors</c> for the value-level <c>errors</c> of a <c>calls</c> change;</item>
/// <item><c>calls</c> for a <c>calls</c> change that holds none of calls, statuses or errors;</item>
/// <item>one event per item of a field whose value is a list of independent items: <c>automatic_events.event</c>,
/// <c>tracking_events.event</c>, <c>user_id_update.change</c>, and <c>{field}.group</c> for the group fields
/// (<c>group_lifecycle_update</c>, <c>group_participants_update</c>, <c>group_settings_update</c>,
/// <c>group_status_update</c>); the field name alone when such a value holds no item;</item>
/// <item>the field name for every other field in <see cref="WhatsAppFields"/>, for example <c>account_update</c> —
/// with <c>message_template_quality_update</c> also for a quality update mislabelled <c>message_template_status_update</c>,
/// and <c>business_username_updates</c> also for Meta's singular <c>business_username_update</c>;</item>
/// <item><c>unknown</c> for a field the library does not model.</item>
/// </list>
/// </summary>
public static partial class WabaEventTypes
{
    /// <summary>A change of a field the library does not model.</summary>
    public const string Unknown = "unknown";

    /// <summary>A message of a type the library does not model.</summary>
    public const string MessagesUnknown = "messages.unknown";

    /// <summary>A status value the library does not know.</summary>
    public const string StatusesUnknown = "statuses.unknown";

    /// <summary>The value-level <c>errors</c> of a <c>messages</c> change.</summary>
    public const string MessagesErrors = "messages.errors";

    /// <summary>A <c>messages</c> change with no messages, statuses or errors.</summary>
    public const string Messages = "messages";

    /// <summary>The type name of a message.</summary>
    /// <param name="type">The modelled message type (a <see cref="MessageTypes"/> constant), or <see langword="null"/> for any other.</param>
    /// <param name="interactiveType">For <c>interactive</c> messages, <c>interactive.type</c>.</param>
    public static string ForMessage(string? type, string? interactiveType) => type switch
    {
        MessageTypes.Text => "messages.text",
        MessageTypes.Image => "messages.image",
        MessageTypes.Audio => "messages.audio",
        MessageTypes.Video => "messages.video",
        MessageTypes.Document => "messages.document",
        MessageTypes.Sticker => "messages.sticker",
        MessageTypes.Location => "messages.location",
        MessageTypes.Contacts => "messages.contacts",
        MessageTypes.Button => "messages.button",
        MessageTypes.Reaction => "messages.reaction",
        MessageTypes.Order => "messages.order",
        MessageTypes.System => "messages.system",
        MessageTypes.Unsupported => "messages.unsupported",
        MessageTypes.Edit => "messages.edit",
        MessageTypes.Revoke => "messages.revoke",
        MessageTypes.Interactive => interactiveType switch
        {
            "button_reply" => "messages.interactive.button_reply",
            "list_reply" => "messages.interactive.list_reply",
            "nfm_reply" => "messages.interactive.nfm_reply",
            "call_permission_reply" => MessagesInteractiveCallPermissionReply,
            _ => "messages.interactive.unknown",
        },
        _ => MessagesUnknown,
    };

    /// <summary>The type name of a status.</summary>
    /// <param name="status">The <c>status</c> value as sent.</param>
    public static string ForStatus(string? status) => status switch
    {
        MessageStatus.Sent => "statuses.sent",
        MessageStatus.Delivered => "statuses.delivered",
        MessageStatus.Read => "statuses.read",
        MessageStatus.Played => "statuses.played",
        MessageStatus.Failed => "statuses.failed",
        _ => StatusesUnknown,
    };

    /// <summary>The type name of a change of any field but <c>messages</c>.</summary>
    /// <param name="modelField">The field whose model fits the value (see <see cref="WhatsAppFields.ReadValue(string, ReadOnlySpan{byte})"/>).</param>
    public static string ForChange(string modelField) => WhatsAppFields.IsKnown(modelField) ? modelField : Unknown;
}
