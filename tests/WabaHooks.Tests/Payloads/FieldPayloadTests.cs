using System.Text;
using WabaHooks.Events;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Payloads;

public sealed class FieldPayloadTests
{
    [Fact]
    public void Business_capability_reads_integers_and_tiers()
    {
        var value = Value<BusinessCapabilityUpdate>("business_capability_update.json");

        Assert.Equal(2000, value.MaxDailyConversationPerPhone);
        Assert.Equal("TIER_2K", value.MaxDailyConversationsPerBusiness);
        Assert.Equal(25, value.MaxPhoneNumbersPerWaba);
    }

    [Fact]
    public void Business_capability_accepts_an_integer_where_the_docs_say_a_tier()
    {
        var value = Assert.IsType<BusinessCapabilityUpdate>(
            WhatsAppFields.ReadValue("business_capability_update", """{"max_daily_conversations_per_business":2000,"max_phone_numbers_per_waba":"25"}"""u8));

        Assert.Equal("2000", value.MaxDailyConversationsPerBusiness);
        Assert.Equal(25, value.MaxPhoneNumbersPerWaba);
    }

    [Fact]
    public void Template_ids_are_longs()
    {
        var approved = Value<MessageTemplateStatusUpdate>("message_template_status_update-approved.json");

        Assert.Equal(1550000000000101L, approved.MessageTemplateId);
        Assert.Equal(("APPROVED", "NONE", "UTILITY"), (approved.Event, approved.Reason, approved.MessageTemplateCategory));
    }

    [Fact]
    public void Template_status_variants_carry_their_details()
    {
        Assert.Null(Value<MessageTemplateStatusUpdate>("message_template_status_update-pending-deletion.json").Reason);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767265200), Value<MessageTemplateStatusUpdate>("message_template_status_update-disabled.json").DisableInfo?.DisableDate);
        Assert.Equal("FIRST_PAUSE", Value<MessageTemplateStatusUpdate>("message_template_status_update-paused.json").OtherInfo?.Title);
        Assert.Equal("Separate the variables with text.", Value<MessageTemplateStatusUpdate>("message_template_status_update-rejected.json").RejectionInfo?.Recommendation);
    }

    [Fact]
    public void A_quality_update_is_typed()
    {
        var value = Value<MessageTemplateQualityUpdate>("message_template_quality_update.json");

        Assert.Equal(("GREEN", "YELLOW", 1550000000000101L), (value.PreviousQualityScore, value.NewQualityScore, value.MessageTemplateId));
    }

    [Fact]
    public void A_quality_update_mislabelled_as_a_status_update_is_a_quality_update()
    {
        var body = Encoding.UTF8.GetString(Fixtures.Read("message_template_quality_update.json"))
            .Replace("\"field\": \"message_template_quality_update\"", "\"field\": \"message_template_status_update\"", StringComparison.Ordinal);

        var e = Assert.Single(DeliverySplitter.Split(Encoding.UTF8.GetBytes(body), 1).Events);

        Assert.Equal(("message_template_quality_update", "message_template_status_update"), (e.Type, e.Field));
        Assert.Equal("YELLOW", Assert.IsType<MessageTemplateQualityUpdate>(e.Payload).NewQualityScore);
    }

    [Fact]
    public void Account_updates_carry_their_event_details()
    {
        Assert.Equal("SCAM", Value<AccountUpdate>("account_update-violation.json").ViolationInfo?.ViolationType);
        Assert.Equal("January 9, 2026", Value<AccountUpdate>("account_update-disabled.json").BanInfo?.WabaBanDate);
        Assert.Equal("880000000000123", Value<AccountUpdate>("account_update-partner-app-uninstalled.json").WabaInfo?.PartnerAppId);
        Assert.Equal(["LEGAL NAME NOT MATCHING"], Value<AccountUpdate>("account_update-partner-client-certification.json").PartnerClientCertificationInfo!.RejectionReasons!);
        Assert.Equal("GB", Value<AccountUpdate>("account_update-primary-location.json").Country);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261600), Value<AccountUpdate>("account_update-volume-tier.json").VolumeTierInfo?.TierUpdateTime);
        var eligibility = Value<AccountUpdate>("account_update-auth-intl-eligibility.json").AuthInternationalRateEligibility!;
        Assert.Equal(("ID", DateTimeOffset.FromUnixTimeSeconds(1769904000)), (eligibility.ExceptionCountries![0].CountryCode, eligibility.ExceptionCountries[0].StartTime));
    }

    [Fact]
    public void A_partner_event_is_keyed_to_the_portfolio()
    {
        var e = Assert.Single(DeliverySplitter.Split(Fixtures.Read("account_update-partner-added.json"), 1).Events);

        Assert.Equal("204060801234567", e.WabaId);
        Assert.Equal("109876543219999", Assert.IsType<AccountUpdate>(e.Payload).WabaInfo?.WabaId);
    }

    [Fact]
    public void Alerts_reviews_names_quality_and_security_are_typed()
    {
        Assert.Equal("OBA_APPROVED", Value<AccountAlerts>("account_alerts-oba-approved.json").AlertInfo?.AlertType);
        Assert.Equal("REJECTED", Value<AccountReviewUpdate>("account_review_update-rejected.json").Decision);
        Assert.Equal("NAME_INDIVIDUAL_ISSUE", Value<PhoneNumberNameUpdate>("phone_number_name_update-rejected.json").RejectionReason);
        Assert.Null(Value<PhoneNumberNameUpdate>("phone_number_name_update-approved.json").RejectionReason);
        Assert.Equal(("FLAGGED", "TIER_10K"), (Value<PhoneNumberQualityUpdate>("phone_number_quality_update-flagged-legacy.json").Event, Value<PhoneNumberQualityUpdate>("phone_number_quality_update-flagged-legacy.json").CurrentLimit));
        Assert.Equal("61500000000042", Value<SecurityUpdate>("security-pin-reset-request.json").Requester);
    }

    [Fact]
    public void Template_category_updates_carry_both_variants()
    {
        var impending = Value<TemplateCategoryUpdate>("template_category_update-impending.json");
        var completed = Value<TemplateCategoryUpdate>("template_category_update-completed.json");

        Assert.Equal(("UTILITY", "MARKETING"), (impending.NewCategory, impending.CorrectCategory));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767348000), impending.CategoryUpdateTimestamp);
        Assert.Equal(("UTILITY", "MARKETING"), (completed.PreviousCategory, completed.NewCategory));
    }

    [Fact]
    public void Newer_fields_are_typed()
    {
        Assert.Equal("URL", Value<MessageTemplateComponentsUpdate>("message_template_components_update.json").MessageTemplateButtons![0].MessageTemplateButtonType);
        Assert.Equal("PUBLISHED", Value<FlowsUpdate>("flows-status-change.json").NewStatus);
        Assert.Equal("ACTIVE", Value<PartnerSolutionsUpdate>("partner_solutions.json").SolutionStatus);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767175200), Value<PaymentConfigurationUpdate>("payment_configuration_update.json").CreatedTimestamp);
    }

    [Fact]
    public void Coexistence_fields_are_typed_and_carry_their_phone_number_id()
    {
        var preferences = Single("user_preferences.json");
        var echoes = Single("smb_message_echoes.json");
        var sync = Single("smb_app_state_sync.json");
        var history = Single("history.json");

        Assert.Equal("stop", Assert.IsType<UserPreferencesUpdate>(preferences.Payload).UserPreferences![0].Value);
        var echo = Assert.IsType<TextMessage>(Assert.Single(Assert.IsType<SmbMessageEchoes>(echoes.Payload).MessageEchoes!));
        Assert.Equal(("447700900456", "Sent from the Business app: your order is ready"), (echo.To, echo.Text?.Body));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767262300), Assert.IsType<SmbAppStateSync>(sync.Payload).StateSync![0].Metadata?.Timestamp);
        var thread = Assert.Single(Assert.IsType<HistoryUpdate>(history.Payload).History![0].Threads!);
        Assert.Equal(2, thread.Messages!.Count);
        Assert.Equal("READ", thread.Messages[0].ExtensionData!["history_context"].GetProperty("status").GetString());
        Assert.All([preferences, echoes, sync, history], e => Assert.Equal("118765432100002", e.PhoneNumberId));
    }

    [Fact]
    public void Group_fields_share_one_shape()
    {
        var e = Split("group_participant_update", """
            {"messaging_product":"whatsapp","metadata":{"phone_number_id":"P"},"groups":[{"timestamp":1767261600,"group_id":"G1",
             "type":"group_add_participants","request_id":"r1","added_participants":[{"input":"+44 7700","wa_id":"447700"}]}]}
            """);

        Assert.Equal(("group_participant_update.group", WabaEventKind.Item), (e.Type, e.Kind));
        var group = Assert.IsType<GroupChange>(e.Payload);
        Assert.Equal(("G1", "447700"), (group.GroupId, group.AddedParticipants![0].WaId));
        Assert.Equal("P", e.PhoneNumberId);
    }

    [Fact]
    public void A_calls_change_with_no_calls_statuses_or_errors_is_one_calls_event_with_the_whole_value()
    {
        var e = Split("calls", """{"messaging_product":"whatsapp","metadata":{"phone_number_id":"P"},"calls":[]}""");

        Assert.Equal(("calls", WabaEventKind.Change, "P"), (e.Type, e.Kind, e.PhoneNumberId));
        Assert.Equal(0, Assert.IsType<CallsUpdate>(e.Payload).Calls!.Value.GetArrayLength());
    }

    [Fact]
    public void An_unknown_field_is_an_unknown_event_that_keeps_its_raw_value()
    {
        const string value = """{"purchase":{"value":12.5,"currency":"GBP"}}""";
        var e = Split("standby", value);

        Assert.Equal(("unknown", "standby", WabaEventKind.Change), (e.Type, e.Field, e.Kind));
        Assert.Equal(value, e.GetRawText());
        var unknown = Assert.IsType<UnknownFieldValue>(e.Payload);
        Assert.Equal("standby", unknown.Field);
        Assert.Equal(12.5m, unknown.Raw.GetProperty("purchase").GetProperty("value").GetDecimal());
        Assert.True(unknown.ExtensionData!.ContainsKey("purchase"));
    }

    [Fact]
    public void An_unknown_property_of_a_known_field_is_kept()
    {
        var e = Split("account_update", """{"event":"PARTNER_REMOVED","disconnection_info":{"reason":"PRIMARY_INACTIVITY"}}""");

        Assert.Equal("PRIMARY_INACTIVITY", Assert.IsType<AccountUpdate>(e.Payload).ExtensionData!["disconnection_info"].GetProperty("reason").GetString());
    }

    [Fact]
    public void A_value_that_does_not_fit_its_field_is_kept_unparsed_under_its_field_type()
    {
        var e = Split("account_update", """{"event":{"unexpected":true}}""");

        Assert.Equal("account_update", e.Type);
        Assert.IsType<UnparsedPayload>(e.Payload);
        Assert.NotNull(e.PayloadError);
    }

    [Fact]
    public void A_messages_change_with_nothing_to_split_is_kept_whole()
    {
        var e = Split("messages", """{"messaging_product":"whatsapp","metadata":{"phone_number_id":"P"},"contacts":[{"wa_id":"44"}]}""");

        Assert.Equal(("messages", WabaEventKind.Change, "P"), (e.Type, e.Kind, e.PhoneNumberId));
        Assert.IsType<MessagesValue>(e.Payload);
    }

    private static T Value<T>(string name) => Assert.IsType<T>(Single(name).Payload);

    private static WabaEvent Single(string name)
    {
        var result = DeliverySplitter.Split(Fixtures.Read(name), 1);
        Assert.True(result.IsSuccess, result.Error);
        return Assert.Single(result.Events);
    }

    private static WabaEvent Split(string field, string value)
    {
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","time":1767261600,"changes":[{"field":"{{{field}}}","value":{{{value}}}}]}]}""");
        var result = DeliverySplitter.Split(body, 1);
        Assert.True(result.IsSuccess, result.Error);
        return Assert.Single(result.Events);
    }
}
