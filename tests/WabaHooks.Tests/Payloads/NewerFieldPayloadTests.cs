using WabaHooks.Events;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Payloads;

/// <summary>
/// The fields Meta added with a documented shape (meta-calling.md §3), read from their examples: typed, split per item
/// where the value holds a list, each event keyed so that a redelivery gives the same keys.
/// </summary>
public sealed class NewerFieldPayloadTests
{
    [Fact]
    public void Automatic_events_give_one_event_per_detected_event()
    {
        var events = Split("automatic_events.json");

        Assert.Equal([WabaEventTypes.AutomaticEventsEvent, WabaEventTypes.AutomaticEventsEvent], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal((WabaEventKind.Item, "118765432100002"), (e.Kind, e.PhoneNumberId)));
        var lead = Assert.IsType<AutomaticEvent>(events[0].Payload);
        var purchase = Assert.IsType<AutomaticEvent>(events[1].Payload);
        Assert.Equal(("LeadSubmitted", DateTimeOffset.FromUnixTimeSeconds(1767264001)), (lead.EventName, lead.Timestamp));
        Assert.StartsWith("ARAkLkA8", lead.CtwaClid, StringComparison.Ordinal);
        Assert.Equal(("Purchase", "GBP", 42.5m), (purchase.EventName, purchase.CustomData!.Currency, purchase.CustomData.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767264061), events[1].OccurredAt);
        Assert.NotEqual(events[0].Id, events[1].Id);
    }

    [Fact]
    public void Tracking_events_give_one_event_per_click()
    {
        var e = Assert.Single(Split("tracking_events.json"));

        Assert.Equal((WabaEventTypes.TrackingEventsEvent, WabaEventKind.Item), (e.Type, e.Kind));
        var tracked = Assert.IsType<TrackingEvent>(e.Payload);
        Assert.Equal(("sent", "clk_0000000000000301", "trk_spring_offer_0001"), (tracked.EventName, tracked.TrackingData!.ClickId, tracked.TrackingData.TrackingToken));
    }

    [Fact]
    public void A_user_id_update_gives_one_event_per_changed_user_with_the_contacts()
    {
        var e = Assert.Single(Split("user_id_update.json"));

        Assert.Equal((WabaEventTypes.UserIdUpdateChange, WabaEventKind.Item), (e.Type, e.Kind));
        var change = Assert.IsType<UserIdChange>(e.Payload);
        Assert.Equal(("447700900456", "GB.1000000000000000000000000001", "GB.2000000000000000000000000002"), (change.WaId, change.UserId!.Previous, change.UserId.Current));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767264201), e.OccurredAt);
    }

    [Theory]
    [InlineData("group_lifecycle_update.json", "group_lifecycle_update.group", 1)]
    [InlineData("group_participants_update.json", "group_participants_update.group", 2)]
    [InlineData("group_settings_update.json", "group_settings_update.group", 1)]
    [InlineData("group_status_update.json", "group_status_update.group", 1)]
    public void Group_fields_give_one_event_per_group_change(string example, string type, int count)
    {
        var events = Split(example);

        Assert.Equal(count, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal((type, WabaEventKind.Item), (e.Type, e.Kind));
            Assert.Equal("Y2FwaV9ncm91cDoxNTU1MDE0MjIzMzoxMjAzNjMwMDAwMDAwMDAwMDE=", Assert.IsType<GroupChange>(e.Payload).GroupId);
        });
        Assert.Equal(count, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void Group_participant_changes_carry_who_was_added_and_removed()
    {
        var events = Split("group_participants_update.json");

        var added = Assert.IsType<GroupChange>(events[0].Payload);
        var removed = Assert.IsType<GroupChange>(events[1].Payload);
        Assert.Equal(("group_participants_add", "447700900456"), (added.Type, added.AddedParticipants![0].WaId));
        Assert.Equal(("group_participants_remove", "447700900789"), (removed.Type, removed.RemovedParticipants![0].WaId));
    }

    [Theory]
    [InlineData("business_username_updates.json", "approved", "examplebakery", null)]
    [InlineData("business_username_updates-deleted.json", "deleted", null, "revoked")]
    public void A_business_username_update_is_typed_under_the_plural_name_also_when_sent_singular(string example, string status, string? username, string? context)
    {
        var e = Assert.Single(Split(example));

        Assert.Equal((WhatsAppFields.BusinessUsernameUpdates, WabaEventKind.Change), (e.Type, e.Kind));
        var update = Assert.IsType<BusinessUsernameUpdate>(e.Payload);
        Assert.Equal(("15550142233", status, username, context), (update.DisplayPhoneNumber, update.Status, update.Username, update.Context));
    }

    [Fact]
    public void A_messaging_handover_names_the_roles_before_and_after()
    {
        var e = Assert.Single(Split("messaging_handovers.json"));

        Assert.Equal(WhatsAppFields.MessagingHandovers, e.Type);
        var handover = Assert.IsType<MessagingHandover>(e.Payload);
        Assert.Equal(("control_passed", "ai_agent", "customer_service"), (handover.Type, handover.ControlPassed!.PreviousOwnerRole, handover.ControlPassed.NewOwnerRole));
        Assert.Equal(("118765432100002", "447700900456"), (handover.Recipient!.PhoneNumberId, handover.Sender!.PhoneNumber));
    }

    [Fact]
    public void A_category_detection_is_a_template_field_value()
    {
        var e = Assert.Single(Split("template_correct_category_detection.json"));

        var detection = Assert.IsType<TemplateCorrectCategoryDetection>(e.Payload);
        Assert.Equal((1200000000000401L, "MARKETING", "UTILITY"), (detection.MessageTemplateId, detection.SuggestedCategory, detection.CurrentCategory));
    }

    [Fact]
    public void An_account_settings_update_carries_the_calling_settings()
    {
        var e = Assert.Single(Split("account_settings_update.json"));

        var update = Assert.IsType<AccountSettingsUpdate>(e.Payload);
        var calling = update.PhoneNumberSettings!.Calling!;
        Assert.Equal(("PHONE_NUMBER_SETTINGS", "118765432100002"), (update.Type, update.PhoneNumberSettings.PhoneNumberId));
        Assert.Equal(("ENABLED", "DEFAULT", "ENABLED", "DISABLED"), (calling.Status, calling.CallIconVisibility, calling.CallbackPermissionStatus, calling.Sip!.Status));
        Assert.Equal("Europe/London", calling.CallHours!.Value.GetProperty("timezone_id").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767264701), update.Timestamp);
    }

    [Fact]
    public void An_account_settings_timestamp_is_read_as_an_integer_too()
    {
        var e = Assert.Single(DeliverySplitter.Split(Envelope("account_settings_update", """{"timestamp":1767264701,"type":"[phone_number_settings]","phone_number_settings":null}"""), 1).Events);

        var update = Assert.IsType<AccountSettingsUpdate>(e.Payload);
        Assert.Equal((DateTimeOffset.FromUnixTimeSeconds(1767264701), "[phone_number_settings]"), (update.Timestamp, update.Type));
        Assert.Null(update.PhoneNumberSettings);
    }

    [Theory]
    [InlineData("automatic_events", "automatic_events")]
    [InlineData("tracking_events", "events")]
    [InlineData("user_id_update", "user_id_update")]
    [InlineData("group_status_update", "groups")]
    public void A_list_field_with_an_empty_or_odd_list_is_one_whole_change_event(string field, string array)
    {
        var empty = Assert.Single(DeliverySplitter.Split(Envelope(field, $$"""{"messaging_product":"whatsapp","{{array}}":[]}"""), 1).Events);
        var odd = Assert.Single(DeliverySplitter.Split(Envelope(field, $$$"""{"messaging_product":"whatsapp","{{{array}}}":{"x":1}}"""), 1).Events);

        Assert.Equal((field, WabaEventKind.Change), (empty.Type, empty.Kind));
        Assert.IsAssignableFrom<FieldValue>(empty.Payload);
        Assert.Equal((field, WabaEventKind.Change), (odd.Type, odd.Kind));
    }

    [Fact]
    public void An_item_keeps_its_key_when_redelivered_in_another_batch()
    {
        var alone = Split("automatic_events.json");
        var batched = DeliverySplitter.Split(Batch("messages-text.json", "automatic_events.json"), 7).Events;

        Assert.Equal(alone.Select(e => e.Id), batched.Where(e => e.Kind == WabaEventKind.Item).Select(e => e.Id));
    }

    [Fact]
    public void An_item_that_does_not_fit_its_model_is_kept_unparsed_and_fails_alone()
    {
        var events = DeliverySplitter.Split(Envelope("tracking_events", """{"events":[{"event_name":{"odd":1}},{"event_name":"sent"}]}"""), 1).Events;

        Assert.IsType<UnparsedPayload>(events[0].Payload);
        Assert.Equal("sent", Assert.IsType<TrackingEvent>(events[1].Payload).EventName);
    }

    [Fact]
    public void Fields_with_no_documented_shape_stay_unknown_with_the_raw_value()
    {
        foreach (var field in new[] { "business_status_update", "message_echoes", "standby" })
        {
            var e = Assert.Single(DeliverySplitter.Split(Envelope(field, """{"messaging_product":"whatsapp"}"""), 1).Events);
            Assert.Equal(WabaEventTypes.Unknown, e.Type);
            Assert.Equal(field, Assert.IsType<UnknownFieldValue>(e.Payload).Field);
        }
    }

    [Fact]
    public void Every_documented_field_name_is_listed_once_in_order()
    {
        Assert.Equal(WhatsAppFields.Documented.Order(StringComparer.Ordinal), WhatsAppFields.Documented);
        Assert.Equal(WhatsAppFields.Documented.Count, WhatsAppFields.Documented.Distinct().Count());
        Assert.Contains("group_participants_update", WhatsAppFields.Documented);
        Assert.DoesNotContain("group_participant_update", WhatsAppFields.Documented);
        Assert.DoesNotContain("business_username_update", WhatsAppFields.Documented);
    }

    private static List<WabaEvent> Split(string example)
    {
        var result = DeliverySplitter.Split(Fixtures.Read(example), 1);
        Assert.True(result.IsSuccess, result.Error);
        return [.. result.Events];
    }

    private static byte[] Envelope(string field, string value) => System.Text.Encoding.UTF8.GetBytes(
        $$"""{"object":"whatsapp_business_account","entry":[{"id":"W","time":1767264000,"changes":[{"field":"{{field}}","value":{{value}}}]}]}""");

    private static byte[] Batch(params string[] examples)
    {
        var changes = examples.Select(name =>
        {
            using var document = System.Text.Json.JsonDocument.Parse(Fixtures.Read(name));
            return document.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetRawText();
        });
        return System.Text.Encoding.UTF8.GetBytes(
            $$"""{"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[{{string.Join(",", changes)}}]}]}""");
    }
}
