using System.Text.Json;
using WabaHooks.Payloads.Serialization;

namespace WabaHooks.Payloads;

/// <summary>The <c>whatsapp_business_account</c> webhook fields this library models, in Meta's spelling.</summary>
public static class WhatsAppFields
{
#pragma warning disable CS1591 // Each constant is its own documentation: the field name as Meta spells it.
    public const string AccountAlerts = "account_alerts";
    public const string AccountReviewUpdate = "account_review_update";
    public const string AccountUpdate = "account_update";
    public const string BusinessCapabilityUpdate = "business_capability_update";
    public const string MessageTemplateQualityUpdate = "message_template_quality_update";
    public const string MessageTemplateStatusUpdate = "message_template_status_update";
    public const string MessageTemplateComponentsUpdate = "message_template_components_update";
    public const string Messages = "messages";
    public const string PhoneNumberNameUpdate = "phone_number_name_update";
    public const string PhoneNumberQualityUpdate = "phone_number_quality_update";
    public const string Security = "security";
    public const string TemplateCategoryUpdate = "template_category_update";
    public const string UserPreferences = "user_preferences";
    public const string SmbMessageEchoes = "smb_message_echoes";
    public const string SmbAppStateSync = "smb_app_state_sync";
    public const string History = "history";
    public const string Flows = "flows";
    public const string PartnerSolutions = "partner_solutions";
    public const string PaymentConfigurationUpdate = "payment_configuration_update";
    public const string Calls = "calls";
    public const string GroupLifecycleUpdate = "group_lifecycle_update";
    public const string GroupSettingsUpdate = "group_settings_update";
    public const string GroupParticipantUpdate = "group_participant_update";
    public const string GroupParticipantsUpdate = "group_participants_update";
    public const string GroupStatusUpdate = "group_status_update";
    public const string AccountSettingsUpdate = "account_settings_update";
    public const string AutomaticEvents = "automatic_events";
    public const string BusinessUsernameUpdates = "business_username_updates";
    public const string MessagingHandovers = "messaging_handovers";
    public const string TemplateCorrectCategoryDetection = "template_correct_category_detection";
    public const string TrackingEvents = "tracking_events";
    public const string UserIdUpdate = "user_id_update";
#pragma warning restore CS1591

    /// <summary>
    /// <c>business_username_update</c>: the singular that Meta's sample puts in <c>field</c> for
    /// <see cref="BusinessUsernameUpdates"/> (its page heads it plural). Read as that field; not a subscription name.
    /// </summary>
    public const string BusinessUsernameUpdate = "business_username_update";

    /// <summary>
    /// Every <c>whatsapp_business_account</c> field name Meta documents for subscriptions (the Graph v25.0 app dashboard
    /// list of 2026-07, plus <c>user_id_update</c> from the business-scoped user ID page), in alphabetical order. Some
    /// have no typed model yet (<c>business_status_update</c>, <c>message_echoes</c>, <c>standby</c>: their shape is
    /// not documented); their changes are kept as <see cref="UnknownFieldValue"/> with the raw JSON.
    /// </summary>
    public static IReadOnlyList<string> Documented { get; } =
    [
        "account_alerts", "account_review_update", "account_settings_update", "account_update", "automatic_events",
        "business_capability_update", "business_status_update", "business_username_updates", "calls", "flows",
        "group_lifecycle_update", "group_participants_update", "group_settings_update", "group_status_update", "history",
        "message_echoes", "message_template_components_update", "message_template_quality_update",
        "message_template_status_update", "messages", "messaging_handovers", "partner_solutions",
        "payment_configuration_update", "phone_number_name_update", "phone_number_quality_update", "security",
        "smb_app_state_sync", "smb_message_echoes", "standby", "template_category_update",
        "template_correct_category_detection", "tracking_events", "user_id_update", "user_preferences",
    ];

    private static readonly string[] Known =
    [
        Messages, AccountAlerts, AccountReviewUpdate, AccountUpdate, BusinessCapabilityUpdate, MessageTemplateQualityUpdate,
        MessageTemplateStatusUpdate, MessageTemplateComponentsUpdate, PhoneNumberNameUpdate, PhoneNumberQualityUpdate,
        Security, TemplateCategoryUpdate, UserPreferences, SmbMessageEchoes, SmbAppStateSync, History, Flows,
        PartnerSolutions, PaymentConfigurationUpdate, Calls, GroupLifecycleUpdate, GroupSettingsUpdate, GroupParticipantUpdate,
        GroupParticipantsUpdate, GroupStatusUpdate, AccountSettingsUpdate, AutomaticEvents, BusinessUsernameUpdates,
        BusinessUsernameUpdate, MessagingHandovers, TemplateCorrectCategoryDetection, TrackingEvents, UserIdUpdate,
    ];

    /// <summary>Whether the library has a typed value for <paramref name="field"/>.</summary>
    public static bool IsKnown(string field) => Array.IndexOf(Known, field) >= 0;

    /// <summary>The field named by the current string token, as a shared constant when known (no allocation).</summary>
    internal static string Read(ref readonly Utf8JsonReader reader)
    {
        foreach (var known in Known)
        {
            if (reader.TextEquals(known))
            {
                return known;
            }
        }

        return JsonText.Read(in reader);
    }

    /// <summary>
    /// Reads a change value as the typed value for its field, or <see cref="UnknownFieldValue"/> for a field this library
    /// does not model. A <c>message_template_status_update</c> holding <c>new_quality_score</c> is read as the quality
    /// update it is (Meta's documented mislabel).
    /// </summary>
    /// <param name="field">The change's <c>field</c>.</param>
    /// <param name="value">The change's <c>value</c> as UTF-8 JSON.</param>
    /// <returns>The typed value.</returns>
    /// <exception cref="JsonException">The value does not fit the field's model.</exception>
    public static FieldValue ReadValue(string field, ReadOnlySpan<byte> value) => ReadValue(field, value, out _);

    /// <summary>As <see cref="ReadValue(string, ReadOnlySpan{byte})"/>; also gives the field whose model was used.</summary>
    internal static FieldValue ReadValue(string field, ReadOnlySpan<byte> value, out string modelField)
    {
        ArgumentNullException.ThrowIfNull(field);
        var context = WhatsAppJsonContext.Default;
        modelField = TypeNameOf(field, value);
        FieldValue? typed = modelField switch
        {
            Messages => JsonSerializer.Deserialize(value, context.MessagesValue),
            AccountAlerts => JsonSerializer.Deserialize(value, context.AccountAlerts),
            AccountReviewUpdate => JsonSerializer.Deserialize(value, context.AccountReviewUpdate),
            AccountUpdate => JsonSerializer.Deserialize(value, context.AccountUpdate),
            BusinessCapabilityUpdate => JsonSerializer.Deserialize(value, context.BusinessCapabilityUpdate),
            MessageTemplateQualityUpdate => JsonSerializer.Deserialize(value, context.MessageTemplateQualityUpdate),
            MessageTemplateStatusUpdate => JsonSerializer.Deserialize(value, context.MessageTemplateStatusUpdate),
            MessageTemplateComponentsUpdate => JsonSerializer.Deserialize(value, context.MessageTemplateComponentsUpdate),
            PhoneNumberNameUpdate => JsonSerializer.Deserialize(value, context.PhoneNumberNameUpdate),
            PhoneNumberQualityUpdate => JsonSerializer.Deserialize(value, context.PhoneNumberQualityUpdate),
            Security => JsonSerializer.Deserialize(value, context.SecurityUpdate),
            TemplateCategoryUpdate => JsonSerializer.Deserialize(value, context.TemplateCategoryUpdate),
            UserPreferences => JsonSerializer.Deserialize(value, context.UserPreferencesUpdate),
            SmbMessageEchoes => JsonSerializer.Deserialize(value, context.SmbMessageEchoes),
            SmbAppStateSync => JsonSerializer.Deserialize(value, context.SmbAppStateSync),
            History => JsonSerializer.Deserialize(value, context.HistoryUpdate),
            Flows => JsonSerializer.Deserialize(value, context.FlowsUpdate),
            PartnerSolutions => JsonSerializer.Deserialize(value, context.PartnerSolutionsUpdate),
            PaymentConfigurationUpdate => JsonSerializer.Deserialize(value, context.PaymentConfigurationUpdate),
            Calls => JsonSerializer.Deserialize(value, context.CallsUpdate),
            GroupLifecycleUpdate or GroupSettingsUpdate or GroupParticipantUpdate or GroupParticipantsUpdate or GroupStatusUpdate =>
                JsonSerializer.Deserialize(value, context.GroupUpdate),
            AccountSettingsUpdate => JsonSerializer.Deserialize(value, context.AccountSettingsUpdate),
            AutomaticEvents => JsonSerializer.Deserialize(value, context.AutomaticEventsUpdate),
            BusinessUsernameUpdates => JsonSerializer.Deserialize(value, context.BusinessUsernameUpdate),
            MessagingHandovers => JsonSerializer.Deserialize(value, context.MessagingHandover),
            TemplateCorrectCategoryDetection => JsonSerializer.Deserialize(value, context.TemplateCorrectCategoryDetection),
            TrackingEvents => JsonSerializer.Deserialize(value, context.TrackingEventsUpdate),
            UserIdUpdate => JsonSerializer.Deserialize(value, context.UserIdUpdate),
            _ => null,
        };

        return typed ?? ReadUnknown(field, value);
    }

    /// <summary>
    /// The field whose model fits the value: <paramref name="field"/> itself, except for the mislabelled template
    /// quality update and the singular <see cref="BusinessUsernameUpdate"/>.
    /// </summary>
    internal static string TypeNameOf(string field, ReadOnlySpan<byte> value) =>
        field == MessageTemplateStatusUpdate && HasTopLevelProperty(value, "new_quality_score"u8) ? MessageTemplateQualityUpdate
        : field == BusinessUsernameUpdate ? BusinessUsernameUpdates
        : field;

    /// <summary>
    /// For a field whose value holds a list of independent items, the name of that array: the splitter gives one event
    /// per item. <see langword="null"/> for every other field.
    /// </summary>
    internal static string? ItemArrayOf(string field) => field switch
    {
        AutomaticEvents => "automatic_events",
        TrackingEvents => "events",
        UserIdUpdate => "user_id_update",
        GroupLifecycleUpdate or GroupSettingsUpdate or GroupParticipantUpdate or GroupParticipantsUpdate or GroupStatusUpdate => "groups",
        _ => null,
    };

    private static UnknownFieldValue ReadUnknown(string field, ReadOnlySpan<byte> value)
    {
        var reader = new Utf8JsonReader(value);
        var raw = JsonElement.ParseValue(ref reader);
        var unknown = raw.ValueKind == JsonValueKind.Object
            ? raw.Deserialize(WhatsAppJsonContext.Default.UnknownFieldValue) ?? new UnknownFieldValue()
            : new UnknownFieldValue();
        unknown.Field = field;
        unknown.Raw = raw;
        return unknown;
    }

    private static bool HasTopLevelProperty(ReadOnlySpan<byte> value, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(value);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.TextEquals(name))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }
}
