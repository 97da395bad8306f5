using System.Text;
using WabaHooks.Events;
using WabaHooks.Payloads;
using WabaHooks.Sinks;
using WabaHooks.Testing;
using WabaHooks.Testing.Fuzzing;
using static WabaHooks.Tests.Events.DeliverySplitterTests;

namespace WabaHooks.Tests.Events;

/// <summary>
/// <see cref="WabaEventTypes.ForPayload"/> against the splitter and the model: routing on the names it gives selects
/// every event whose payload is of the type (nothing is lost) and, for a concrete type, only those (nothing is
/// deserialised in vain), so typed handlers can be routed without reading payloads.
/// </summary>
public sealed class PayloadTypeNameTests
{
    private static readonly Type[] ConcreteTypes =
    [
        typeof(TextMessage), typeof(ImageMessage), typeof(AudioMessage), typeof(VideoMessage), typeof(DocumentMessage),
        typeof(StickerMessage), typeof(LocationMessage), typeof(ContactsMessage), typeof(InteractiveMessage), typeof(ButtonMessage),
        typeof(ReactionMessage), typeof(OrderMessage), typeof(SystemMessage), typeof(UnsupportedMessage), typeof(EditMessage),
        typeof(RevokeMessage), typeof(UnknownMessage), typeof(MessageStatus), typeof(MessagesValue), typeof(AccountAlerts),
        typeof(AccountReviewUpdate), typeof(AccountUpdate), typeof(BusinessCapabilityUpdate), typeof(MessageTemplateQualityUpdate),
        typeof(MessageTemplateStatusUpdate), typeof(MessageTemplateComponentsUpdate), typeof(PhoneNumberNameUpdate),
        typeof(PhoneNumberQualityUpdate), typeof(SecurityUpdate), typeof(TemplateCategoryUpdate), typeof(UserPreferencesUpdate),
        typeof(SmbMessageEchoes), typeof(SmbAppStateSync), typeof(HistoryUpdate), typeof(FlowsUpdate), typeof(PartnerSolutionsUpdate),
        typeof(PaymentConfigurationUpdate), typeof(CallsUpdate), typeof(GroupUpdate), typeof(CallConnect), typeof(CallTerminate),
        typeof(CallCreated), typeof(CallRecordingAvailable), typeof(CallTranscriptionAvailable), typeof(UnknownCallEvent), typeof(CallStatus),
        typeof(GroupChange), typeof(AutomaticEventsUpdate), typeof(AutomaticEvent), typeof(TrackingEventsUpdate), typeof(TrackingEvent),
        typeof(UserIdUpdate), typeof(UserIdChange), typeof(AccountSettingsUpdate), typeof(BusinessUsernameUpdate), typeof(MessagingHandover),
        typeof(TemplateCorrectCategoryDetection),
    ];

    private static readonly Type[] BaseTypes =
    [
        typeof(InboundMessage), typeof(CallEvent), typeof(FieldValue), typeof(TemplateFieldValue), typeof(IPhoneNumberValue), typeof(PayloadObject),
        typeof(IReadOnlyList<WhatsAppError>), typeof(IEnumerable<WhatsAppError>), typeof(UnknownFieldValue), typeof(UnparsedPayload),
    ];

    public static TheoryData<string> Examples() => ExamplePayloads.All();

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_event_of_an_example_is_selected_by_the_names_for_each_type_its_payload_is(string example) =>
        AssertSelectedForEveryTypeItIs(DeliverySplitter.Split(ExamplePayloads.Read(example), 1).Events);

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_names_for_a_concrete_type_select_only_events_whose_payload_is_of_that_type(string example)
    {
        foreach (var e in DeliverySplitter.Split(ExamplePayloads.Read(example), 1).Events.Where(e => e.Payload is not UnparsedPayload))
        {
            foreach (var type in ConcreteTypes)
            {
                Assert.True(type.IsInstanceOfType(e.Payload) == Selects(type, e), $"{e.Type} with a {e.Payload.GetType().Name} and the names for {type.Name}");
            }
        }
    }

    [Fact]
    public void Mutated_examples_never_carry_a_payload_the_names_for_its_type_leave_out()
    {
        var mutator = new PayloadMutator(20_261_125, PayloadMutator.ReadTemplates(ExamplePayloads.EmbeddedDirectory), maxBodyBytes: 4 * 1024 * 1024);
        for (var i = 0; i < 3000; i++)
        {
            var fuzz = mutator.Make(i);
            AssertSelectedForEveryTypeItIs(DeliverySplitter.Split(fuzz.Body, 1).Events, fuzz.Describe());
        }
    }

    [Fact]
    public void A_message_type_or_field_the_model_does_not_know_is_selected_by_the_names_for_its_fallback_type()
    {
        var events = DeliverySplitter.Split(Encoding.UTF8.GetBytes(Envelope("""
            {"field":"messages","value":{"messages":[{"from":"1","id":"wamid.W","timestamp":"1700000000","type":"request_welcome"}]}},
            {"field":"some_future_field","value":{"a":1}},
            {"field":"account_update","value":null}
            """)), 1).Events;

        Assert.Equal([WabaEventTypes.MessagesUnknown, WabaEventTypes.Unknown, "account_update"], events.Select(e => e.Type));
        Assert.IsType<UnknownMessage>(events[0].Payload);
        Assert.True(Selects(typeof(UnknownMessage), events[0]) && Selects(typeof(InboundMessage), events[0]));
        Assert.All(events.Skip(1), e => Assert.IsType<UnknownFieldValue>(e.Payload));
        Assert.All(events.Skip(1), e => Assert.True(Selects(typeof(UnknownFieldValue), e) && Selects(typeof(FieldValue), e)));
        Assert.False(Selects(typeof(AccountUpdate), events[1]));
    }

    [Fact]
    public void Base_types_get_the_names_of_every_type_they_cover_and_a_type_no_event_carries_gets_none()
    {
        var messages = WabaEventTypes.ForPayload(typeof(InboundMessage));
        Assert.Contains("messages.text", messages);
        Assert.Contains("messages.interactive.*", messages);
        Assert.Contains(WabaEventTypes.MessagesUnknown, messages);
        Assert.DoesNotContain(WabaEventTypes.MessagesErrors, messages);
        Assert.DoesNotContain(messages, n => n.StartsWith("statuses", StringComparison.Ordinal));
        Assert.Equal(["statuses.*"], WabaEventTypes.ForPayload(typeof(MessageStatus)));
        Assert.Equal([WabaEventTypes.MessagesErrors, WabaEventTypes.CallsErrors], WabaEventTypes.ForPayload(typeof(IReadOnlyList<WhatsAppError>)));
        Assert.Equal(["calls.statuses.*"], WabaEventTypes.ForPayload(typeof(CallStatus)));
        Assert.Equal(
            ["calls.connect", "calls.terminate", "calls.call_created", "calls.call_recording_available", "calls.call_transcription_available", "calls.unknown"],
            WabaEventTypes.ForPayload(typeof(CallEvent)));
        Assert.Equal(
            ["message_template_quality_update", "message_template_status_update", "message_template_components_update", "template_category_update",
             "template_correct_category_detection"],
            WabaEventTypes.ForPayload(typeof(TemplateFieldValue)));
        Assert.Empty(WabaEventTypes.ForPayload(typeof(string)));
        Assert.Equal(WabaEventTypes.ForPayload(typeof(object)), WabaEventTypes.ForPayload(typeof(UnparsedPayload)));
    }

    private static void AssertSelectedForEveryTypeItIs(IReadOnlyList<WabaEvent> events, string? context = null)
    {
        foreach (var e in events)
        {
            foreach (var type in ConcreteTypes.Concat(BaseTypes).Where(t => t.IsInstanceOfType(e.Payload)))
            {
                Assert.True(Selects(type, e), $"{e.Type} carries a {e.Payload.GetType().Name}, left out by the names for {type.Name}. {context}");
            }
        }
    }

    private static bool Selects(Type payloadType, WabaEvent e) => new EventFilter { Types = WabaEventTypes.ForPayload(payloadType) }.Matches(e);
}
