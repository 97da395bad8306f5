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
#pragma warning restore CS1591

    private static readonly string[] Known =
    [
        Messages, AccountAlerts, AccountReviewUpdate, AccountUpdate, BusinessCapabilityUpdate, MessageTemplateQualityUpdate,
        MessageTemplateStatusUpdate, MessageTemplateComponentsUpdate, PhoneNumberNameUpdate, PhoneNumberQualityUpdate,
        Security, TemplateCategoryUpdate, UserPreferences, SmbMessageEchoes, SmbAppStateSync, History, Flows,
        PartnerSolutions, PaymentConfigurationUpdate, Calls, GroupLifecycleUpdate, GroupSettingsUpdate, GroupParticipantUpdate,
    ];

    /// <summary>Whether the library has a typed value for <paramref name="field"/>.</summary>
    public static bool IsKnown(string field) => Array.IndexOf(Known, field) >= 0;

    /// <summary>The field named by the current string token, as a shared constant when known (no allocation).</summary>
    internal static string Read(ref readonly Utf8JsonReader reader)
    {
        foreach (var known in Known)
        {
            if (reader.ValueTextEquals(known))
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
            GroupLifecycleUpdate or GroupSettingsUpdate or GroupParticipantUpdate => JsonSerializer.Deserialize(value, context.GroupUpdate),
            _ => null,
        };

        return typed ?? ReadUnknown(field, value);
    }

    /// <summary>
    /// The field whose model fits the value: <paramref name="field"/> itself, except for the mislabelled template
    /// quality update.
    /// </summary>
    internal static string TypeNameOf(string field, ReadOnlySpan<byte> value) =>
        field == MessageTemplateStatusUpdate && HasTopLevelProperty(value, "new_quality_score"u8) ? MessageTemplateQualityUpdate : field;

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
            if (reader.ValueTextEquals(name))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }
}
