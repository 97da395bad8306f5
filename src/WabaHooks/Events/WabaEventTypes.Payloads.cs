using WabaHooks.Payloads;

namespace WabaHooks.Events;

public static partial class WabaEventTypes
{
    // Every type name (or .* prefix) beside the payload type the model reads its JSON into. The splitter decides the
    // name without deserialising, from the same tokens the model dispatches on, so a name tells which payload type it
    // can carry. UnparsedPayload is left out: any name carries one when the JSON does not fit.
    private static readonly (string Pattern, Type Payload)[] Catalog =
    [
        ("messages.text", typeof(TextMessage)),
        ("messages.image", typeof(ImageMessage)),
        ("messages.audio", typeof(AudioMessage)),
        ("messages.video", typeof(VideoMessage)),
        ("messages.document", typeof(DocumentMessage)),
        ("messages.sticker", typeof(StickerMessage)),
        ("messages.location", typeof(LocationMessage)),
        ("messages.contacts", typeof(ContactsMessage)),
        ("messages.interactive.*", typeof(InteractiveMessage)),
        ("messages.button", typeof(ButtonMessage)),
        ("messages.reaction", typeof(ReactionMessage)),
        ("messages.order", typeof(OrderMessage)),
        ("messages.system", typeof(SystemMessage)),
        ("messages.unsupported", typeof(UnsupportedMessage)),
        ("messages.edit", typeof(EditMessage)),
        ("messages.revoke", typeof(RevokeMessage)),
        (MessagesUnknown, typeof(UnknownMessage)),
        ("statuses.*", typeof(MessageStatus)),
        (MessagesErrors, typeof(IReadOnlyList<WhatsAppError>)),
        (Messages, typeof(MessagesValue)),
        (CallsConnect, typeof(CallConnect)),
        (CallsTerminate, typeof(CallTerminate)),
        (CallsCallCreated, typeof(CallCreated)),
        (CallsCallRecordingAvailable, typeof(CallRecordingAvailable)),
        (CallsCallTranscriptionAvailable, typeof(CallTranscriptionAvailable)),
        (CallsUnknown, typeof(UnknownCallEvent)),
        ("calls.statuses.*", typeof(CallStatus)),
        (CallsErrors, typeof(IReadOnlyList<WhatsAppError>)),
        (WhatsAppFields.AccountAlerts, typeof(AccountAlerts)),
        (WhatsAppFields.AccountReviewUpdate, typeof(AccountReviewUpdate)),
        (WhatsAppFields.AccountUpdate, typeof(AccountUpdate)),
        (WhatsAppFields.BusinessCapabilityUpdate, typeof(BusinessCapabilityUpdate)),
        (WhatsAppFields.MessageTemplateQualityUpdate, typeof(MessageTemplateQualityUpdate)),
        (WhatsAppFields.MessageTemplateStatusUpdate, typeof(MessageTemplateStatusUpdate)),
        (WhatsAppFields.MessageTemplateComponentsUpdate, typeof(MessageTemplateComponentsUpdate)),
        (WhatsAppFields.PhoneNumberNameUpdate, typeof(PhoneNumberNameUpdate)),
        (WhatsAppFields.PhoneNumberQualityUpdate, typeof(PhoneNumberQualityUpdate)),
        (WhatsAppFields.Security, typeof(SecurityUpdate)),
        (WhatsAppFields.TemplateCategoryUpdate, typeof(TemplateCategoryUpdate)),
        (WhatsAppFields.UserPreferences, typeof(UserPreferencesUpdate)),
        (WhatsAppFields.SmbMessageEchoes, typeof(SmbMessageEchoes)),
        (WhatsAppFields.SmbAppStateSync, typeof(SmbAppStateSync)),
        (WhatsAppFields.History, typeof(HistoryUpdate)),
        (WhatsAppFields.Flows, typeof(FlowsUpdate)),
        (WhatsAppFields.PartnerSolutions, typeof(PartnerSolutionsUpdate)),
        (WhatsAppFields.PaymentConfigurationUpdate, typeof(PaymentConfigurationUpdate)),
        (WhatsAppFields.Calls, typeof(CallsUpdate)),
        (WhatsAppFields.GroupLifecycleUpdate, typeof(GroupUpdate)),
        (WhatsAppFields.GroupSettingsUpdate, typeof(GroupUpdate)),
        (WhatsAppFields.GroupParticipantUpdate, typeof(GroupUpdate)),
        (WhatsAppFields.GroupParticipantsUpdate, typeof(GroupUpdate)),
        (WhatsAppFields.GroupStatusUpdate, typeof(GroupUpdate)),
        (GroupLifecycleUpdateGroup, typeof(GroupChange)),
        (GroupParticipantsUpdateGroup, typeof(GroupChange)),
        (GroupSettingsUpdateGroup, typeof(GroupChange)),
        (GroupStatusUpdateGroup, typeof(GroupChange)),
        (GroupParticipantUpdateGroup, typeof(GroupChange)),
        (WhatsAppFields.AutomaticEvents, typeof(AutomaticEventsUpdate)),
        (AutomaticEventsEvent, typeof(AutomaticEvent)),
        (WhatsAppFields.TrackingEvents, typeof(TrackingEventsUpdate)),
        (TrackingEventsEvent, typeof(TrackingEvent)),
        (WhatsAppFields.UserIdUpdate, typeof(UserIdUpdate)),
        (UserIdUpdateChange, typeof(UserIdChange)),
        (WhatsAppFields.AccountSettingsUpdate, typeof(AccountSettingsUpdate)),
        (WhatsAppFields.BusinessUsernameUpdates, typeof(BusinessUsernameUpdate)),
        (WhatsAppFields.MessagingHandovers, typeof(MessagingHandover)),
        (WhatsAppFields.TemplateCorrectCategoryDetection, typeof(TemplateCorrectCategoryDetection)),
        (Unknown, typeof(UnknownFieldValue)),
    ];

    // A change whose value is JSON null reads as UnknownFieldValue whatever its field, so every change name can carry one.
    private static readonly string[] ChangeNames =
        [.. Catalog.Where(row => typeof(FieldValue).IsAssignableFrom(row.Payload)).Select(row => row.Pattern)];

    private static readonly string[] AllNames = [.. Catalog.Select(row => row.Pattern)];

    /// <summary>
    /// The type names of the events whose <see cref="WabaEvent.Payload"/> can be a <paramref name="payloadType"/>, as
    /// <see cref="Sinks.EventFilter.Types"/> takes them (<c>statuses.*</c> for every status, <c>calls.statuses.*</c> for
    /// every call status). Routing on these names
    /// selects the events a typed consumer wants without deserialising any payload.
    /// </summary>
    /// <param name="payloadType">
    /// A payload type: a message type such as <see cref="TextMessage"/>, <see cref="InboundMessage"/>,
    /// <see cref="MessageStatus"/>, a call type such as <see cref="CallConnect"/>, <see cref="CallEvent"/>,
    /// <see cref="CallStatus"/>, <c>IReadOnlyList&lt;WhatsAppError&gt;</c>, a <see cref="FieldValue"/> type, or any base
    /// type or interface of them.
    /// </param>
    /// <returns>
    /// The names, in a fixed order; empty when no event carries such a payload. An event of one of these names may still
    /// carry an <see cref="UnparsedPayload"/> when its JSON does not fit the model, so a consumer that needs the typed
    /// payload checks it too. For <see cref="UnparsedPayload"/> (or <see cref="object"/>), every name.
    /// </returns>
    public static IReadOnlyList<string> ForPayload(Type payloadType)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        if (payloadType.IsAssignableFrom(typeof(UnparsedPayload)))
        {
            return AllNames;
        }

        var names = Catalog.Where(row => payloadType.IsAssignableFrom(row.Payload)).Select(row => row.Pattern);
        return payloadType.IsAssignableFrom(typeof(UnknownFieldValue)) ? [.. names.Union(ChangeNames, StringComparer.Ordinal)] : [.. names];
    }
}
