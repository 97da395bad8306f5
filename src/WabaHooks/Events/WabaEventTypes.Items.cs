using WabaHooks.Payloads;

namespace WabaHooks.Events;

public static partial class WabaEventTypes
{
    /// <summary>One <c>automatic_events[]</c> item of an <c>automatic_events</c> change.</summary>
    public const string AutomaticEventsEvent = "automatic_events.event";

    /// <summary>One <c>events[]</c> item of a <c>tracking_events</c> change.</summary>
    public const string TrackingEventsEvent = "tracking_events.event";

    /// <summary>One <c>user_id_update[]</c> item of a <c>user_id_update</c> change.</summary>
    public const string UserIdUpdateChange = "user_id_update.change";

    /// <summary>One <c>groups[]</c> item of a <c>group_lifecycle_update</c> change.</summary>
    public const string GroupLifecycleUpdateGroup = "group_lifecycle_update.group";

    /// <summary>One <c>groups[]</c> item of a <c>group_participants_update</c> change.</summary>
    public const string GroupParticipantsUpdateGroup = "group_participants_update.group";

    /// <summary>One <c>groups[]</c> item of a <c>group_settings_update</c> change.</summary>
    public const string GroupSettingsUpdateGroup = "group_settings_update.group";

    /// <summary>One <c>groups[]</c> item of a <c>group_status_update</c> change.</summary>
    public const string GroupStatusUpdateGroup = "group_status_update.group";

    /// <summary>One <c>groups[]</c> item of a change under the singular <c>group_participant_update</c>.</summary>
    public const string GroupParticipantUpdateGroup = "group_participant_update.group";

    /// <summary>An <c>interactive</c> message answering a call permission request.</summary>
    public const string MessagesInteractiveCallPermissionReply = "messages.interactive.call_permission_reply";

    /// <summary>
    /// The type name of one item of a list-holding field (<c>{field}.{item}</c>); <see langword="null"/> for a field
    /// whose value is not split per item.
    /// </summary>
    /// <param name="field">The change's <c>field</c>.</param>
    public static string? ForItem(string field) => field switch
    {
        WhatsAppFields.AutomaticEvents => AutomaticEventsEvent,
        WhatsAppFields.TrackingEvents => TrackingEventsEvent,
        WhatsAppFields.UserIdUpdate => UserIdUpdateChange,
        WhatsAppFields.GroupLifecycleUpdate => GroupLifecycleUpdateGroup,
        WhatsAppFields.GroupParticipantsUpdate => GroupParticipantsUpdateGroup,
        WhatsAppFields.GroupSettingsUpdate => GroupSettingsUpdateGroup,
        WhatsAppFields.GroupStatusUpdate => GroupStatusUpdateGroup,
        WhatsAppFields.GroupParticipantUpdate => GroupParticipantUpdateGroup,
        _ => null,
    };
}
