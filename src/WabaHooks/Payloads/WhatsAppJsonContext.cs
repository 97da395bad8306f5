using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Payloads;

/// <summary>
/// The source-generated System.Text.Json metadata for the payload model: snake_case names, numbers accepted from
/// strings, Unix timestamps as numbers or strings, messages dispatched on <c>type</c>. Use
/// <see cref="JsonSerializerContext"/>'s <c>Default</c> instance.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UnixTimestampConverter), typeof(InboundMessageConverter)])]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(MessagesValue))]
[JsonSerializable(typeof(Metadata))]
[JsonSerializable(typeof(IReadOnlyList<Contact>))]
[JsonSerializable(typeof(IReadOnlyList<WhatsAppError>))]
[JsonSerializable(typeof(InboundMessage))]
[JsonSerializable(typeof(TextMessage))]
[JsonSerializable(typeof(ImageMessage))]
[JsonSerializable(typeof(AudioMessage))]
[JsonSerializable(typeof(VideoMessage))]
[JsonSerializable(typeof(DocumentMessage))]
[JsonSerializable(typeof(StickerMessage))]
[JsonSerializable(typeof(LocationMessage))]
[JsonSerializable(typeof(ContactsMessage))]
[JsonSerializable(typeof(InteractiveMessage))]
[JsonSerializable(typeof(ButtonMessage))]
[JsonSerializable(typeof(ReactionMessage))]
[JsonSerializable(typeof(OrderMessage))]
[JsonSerializable(typeof(SystemMessage))]
[JsonSerializable(typeof(UnsupportedMessage))]
[JsonSerializable(typeof(EditMessage))]
[JsonSerializable(typeof(RevokeMessage))]
[JsonSerializable(typeof(UnknownMessage))]
[JsonSerializable(typeof(MessageStatus))]
[JsonSerializable(typeof(CallConnect))]
[JsonSerializable(typeof(CallTerminate))]
[JsonSerializable(typeof(CallCreated))]
[JsonSerializable(typeof(CallRecordingAvailable))]
[JsonSerializable(typeof(CallTranscriptionAvailable))]
[JsonSerializable(typeof(UnknownCallEvent))]
[JsonSerializable(typeof(CallStatus))]
[JsonSerializable(typeof(AccountAlerts))]
[JsonSerializable(typeof(AccountReviewUpdate))]
[JsonSerializable(typeof(AccountUpdate))]
[JsonSerializable(typeof(BusinessCapabilityUpdate))]
[JsonSerializable(typeof(MessageTemplateQualityUpdate))]
[JsonSerializable(typeof(MessageTemplateStatusUpdate))]
[JsonSerializable(typeof(MessageTemplateComponentsUpdate))]
[JsonSerializable(typeof(PhoneNumberNameUpdate))]
[JsonSerializable(typeof(PhoneNumberQualityUpdate))]
[JsonSerializable(typeof(SecurityUpdate))]
[JsonSerializable(typeof(TemplateCategoryUpdate))]
[JsonSerializable(typeof(UserPreferencesUpdate))]
[JsonSerializable(typeof(SmbMessageEchoes))]
[JsonSerializable(typeof(SmbAppStateSync))]
[JsonSerializable(typeof(HistoryUpdate))]
[JsonSerializable(typeof(FlowsUpdate))]
[JsonSerializable(typeof(PartnerSolutionsUpdate))]
[JsonSerializable(typeof(PaymentConfigurationUpdate))]
[JsonSerializable(typeof(CallsUpdate))]
[JsonSerializable(typeof(GroupUpdate))]
[JsonSerializable(typeof(UnknownFieldValue))]
public sealed partial class WhatsAppJsonContext : JsonSerializerContext;
