using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Payloads;

public sealed class MessagePayloadTests
{
    [Fact]
    public void A_text_message_carries_its_body_sender_time_and_contact()
    {
        var e = Single("messages-text.json");
        var text = Assert.IsType<TextMessage>(e.Payload);

        Assert.Equal("Hi! Do you deliver to Leeds on Saturdays?", text.Text?.Body);
        Assert.Equal("447700900456", text.From);
        Assert.Equal("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==", text.Wamid);
        Assert.Equal("msg:" + text.Wamid, e.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261601), text.Timestamp);
        Assert.Equal("Priya Raman", Assert.Single(e.Contacts!).Profile?.Name);
        Assert.Equal("15550142233", e.Metadata?.DisplayPhoneNumber);
        Assert.Null(text.Context);
        Assert.Null(text.ExtensionData);
    }

    [Fact]
    public void Escaped_unicode_is_decoded_in_the_model_and_kept_escaped_in_the_raw_json()
    {
        var e = Single("messages-text-unicode.json");

        Assert.Equal("Caf\u00e9 opening hours? \u2615 Merci!", Assert.IsType<TextMessage>(e.Payload).Text?.Body);
        Assert.Contains("Caf\\u00e9", e.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Media_messages_carry_their_media()
    {
        var image = Assert.IsType<ImageMessage>(Single("messages-image.json").Payload).Image!;
        var audio = Assert.IsType<AudioMessage>(Single("messages-audio-voice.json").Payload).Audio!;
        var video = Assert.IsType<VideoMessage>(Single("messages-video.json").Payload).Video!;
        var document = Assert.IsType<DocumentMessage>(Single("messages-document.json").Payload).Document!;
        var sticker = Assert.IsType<StickerMessage>(Single("messages-sticker.json").Payload).Sticker!;

        Assert.Equal(("Damaged on arrival", "image/jpeg", "1300000000000081"), (image.Caption, image.MimeType, image.Id));
        Assert.Equal("u3bY1examplesha256base64valueAAAAAAAAAAAAAA=", image.Sha256);
        Assert.True(audio.Voice);
        Assert.Equal("audio/ogg; codecs=opus", audio.MimeType);
        Assert.Equal("Unboxing", video.Caption);
        Assert.Equal("invoice-2025-118.pdf", document.Filename);
        Assert.StartsWith("https://lookaside.fbsbx.com/", document.Url, StringComparison.Ordinal);
        Assert.False(sticker.Animated);
    }

    [Fact]
    public void A_location_whose_type_comes_last_is_still_a_location()
    {
        var e = Single("messages-location.json");
        var location = Assert.IsType<LocationMessage>(e.Payload).Location!;

        Assert.Equal("messages.location", e.Type);
        Assert.Equal(53.79648, location.Latitude);
        Assert.Equal(-1.54785, location.Longitude);
        Assert.Equal("Example Quay Depot", location.Name);
    }

    [Fact]
    public void A_contacts_message_carries_the_shared_cards()
    {
        var card = Assert.Single(Assert.IsType<ContactsMessage>(Single("messages-contacts.json").Payload).Contacts!);

        Assert.Equal("Sam Doe", card.Name?.FormattedName);
        Assert.Equal("447700900789", Assert.Single(card.Phones!).WaId);
        Assert.Equal("GB", Assert.Single(card.Addresses!).CountryCode);
        Assert.Equal("Example Ltd", card.Org?.Company);
        Assert.Equal("1990-04-12", card.Birthday);
    }

    [Fact]
    public void Interactive_replies_are_typed_by_their_reply_type()
    {
        var button = Single("messages-interactive-button-reply.json");
        var list = Single("messages-interactive-list-reply.json");

        Assert.Equal("messages.interactive.button_reply", button.Type);
        Assert.Equal("confirm-booking", Assert.IsType<InteractiveMessage>(button.Payload).Interactive?.ButtonReply?.Id);
        Assert.Equal("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=", ((InteractiveMessage)button.Payload).Context?.Wamid);
        Assert.Equal("messages.interactive.list_reply", list.Type);
        Assert.Equal("08:00-12:00", Assert.IsType<InteractiveMessage>(list.Payload).Interactive?.ListReply?.Description);
    }

    [Fact]
    public void A_flow_reply_keeps_response_json_as_a_string_that_parses()
    {
        var e = Single("messages-interactive-nfm-reply-flow.json");
        var reply = Assert.IsType<InteractiveMessage>(e.Payload).Interactive!.NfmReply!;

        Assert.Equal("messages.interactive.nfm_reply", e.Type);
        Assert.Equal(("flow", "Sent"), (reply.Name, reply.Body));
        using var response = JsonDocument.Parse(reply.ResponseJson!);
        Assert.Equal("booking-7f3a9c", response.RootElement.GetProperty("flow_token").GetString());
    }

    [Fact]
    public void An_address_reply_keeps_the_address_in_response_json()
    {
        var reply = Assert.IsType<InteractiveMessage>(Single("messages-interactive-nfm-reply-address.json").Payload).Interactive!.NfmReply!;

        Assert.Equal("address_message", reply.Name);
        using var response = JsonDocument.Parse(reply.ResponseJson!);
        Assert.Equal("560001", response.RootElement.GetProperty("values").GetProperty("in_pin_code").GetString());
    }

    [Fact]
    public void A_template_button_carries_its_payload() =>
        Assert.Equal("STOP_PROMOS", Assert.IsType<ButtonMessage>(Single("messages-button.json").Payload).Button?.Payload);

    [Fact]
    public void A_reaction_carries_its_emoji_and_a_removed_reaction_has_none()
    {
        var reaction = Assert.IsType<ReactionMessage>(Single("messages-reaction.json").Payload).Reaction!;
        var removed = Assert.IsType<ReactionMessage>(Single("messages-reaction-removed.json").Payload).Reaction!;

        Assert.Equal("\U0001F44D", reaction.Emoji);
        Assert.Equal("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=", reaction.MessageId);
        Assert.Null(removed.Emoji);
        Assert.Equal(reaction.MessageId, removed.MessageId);
    }

    [Fact]
    public void An_order_carries_its_items_with_numbers()
    {
        var order = Assert.IsType<OrderMessage>(Single("messages-order.json").Payload).Order!;

        Assert.Equal("", order.Text);
        Assert.Equal(2, order.ProductItems!.Count);
        Assert.Equal(2, order.ProductItems[1].Quantity);
        Assert.Equal(9.99m, order.ProductItems[1].ItemPrice);
        Assert.Equal("GBP", order.ProductItems[0].Currency);
    }

    [Fact]
    public void A_system_message_has_the_new_number_and_no_contacts()
    {
        var e = Single("messages-system-user-changed-number.json");
        var system = Assert.IsType<SystemMessage>(e.Payload).System!;

        Assert.Equal(("user_changed_number", "447700900999"), (system.Type, system.WaId));
        Assert.Null(e.Contacts);
    }

    [Fact]
    public void An_unsupported_message_carries_its_errors()
    {
        var message = Assert.IsType<UnsupportedMessage>(Single("messages-unsupported.json").Payload);

        Assert.Equal("poll", message.Unsupported?.Type);
        var error = Assert.Single(message.Errors!);
        Assert.Equal(131051, error.Code);
        Assert.Equal("Unsupported message type.", error.ErrorData?.Details);
    }

    [Fact]
    public void An_edit_carries_the_original_id_and_the_new_content_typed()
    {
        var edit = Assert.IsType<EditMessage>(Single("messages-edit.json").Payload).Edit!;

        Assert.Equal("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==", edit.OriginalMessageId);
        var content = Assert.IsType<TextMessage>(edit.Message);
        Assert.Equal("Hi! Do you deliver to Leeds on Sundays?", content.Text?.Body);
        Assert.Equal(edit.OriginalMessageId, content.Context?.Wamid);
        Assert.Equal("", content.Wamid);
    }

    [Fact]
    public void A_revoke_carries_the_original_id() =>
        Assert.Equal(
            "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0005AA==",
            Assert.IsType<RevokeMessage>(Single("messages-revoke.json").Payload).Revoke?.OriginalMessageId);

    [Fact]
    public void A_group_message_carries_its_group_id() =>
        Assert.Equal("HBgLMTIwMzYzNDAwMDAVAgASGBQzQUJDREVGRkFLRUdST1VQMDEA", Assert.IsType<TextMessage>(Single("messages-group-text.json").Payload).GroupId);

    [Fact]
    public void Context_tells_replies_forwards_and_product_questions_apart()
    {
        var reply = ((InboundMessage)Single("messages-text-reply-context.json").Payload).Context!;
        var forwarded = ((InboundMessage)Single("messages-text-forwarded.json").Payload).Context!;
        var frequently = ((InboundMessage)Single("messages-text-frequently-forwarded.json").Payload).Context!;
        var product = ((InboundMessage)Single("messages-text-referred-product.json").Payload).Context!;

        Assert.Equal(("15550142233", "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA="), (reply.From, reply.Wamid));
        Assert.True(forwarded.Forwarded);
        Assert.Null(forwarded.FrequentlyForwarded);
        Assert.True(frequently.FrequentlyForwarded);
        Assert.Equal(("310000000000777", "SKU-TEAPOT-BLUE"), (product.ReferredProduct?.CatalogId, product.ReferredProduct?.ProductRetailerId));
    }

    [Fact]
    public void A_click_to_whatsapp_referral_is_typed()
    {
        var referral = ((InboundMessage)Single("messages-text-ctwa-referral.json").Payload).Referral!;

        Assert.Equal(("ad", "image"), (referral.SourceType, referral.MediaType));
        Assert.Equal("ARAkexampleclickid0123456789abcdef", referral.CtwaClid);
        Assert.Equal("Hi there! How can we help?", referral.WelcomeMessage?.Text);
    }

    [Fact]
    public void A_username_user_has_a_bsuid_and_no_phone_number()
    {
        var e = Single("messages-text-bsuid-username.json");
        var message = Assert.IsType<TextMessage>(e.Payload);
        var contact = Assert.Single(e.Contacts!);

        Assert.Null(message.From);
        Assert.Equal("GB.8d3f0a1b2c4e5f60718293a4b5c6d7e8", message.FromUserId);
        Assert.Null(contact.WaId);
        Assert.Equal("GB.8d3f0a1b2c4e5f60718293a4b5c6d7e8", contact.UserId);
        Assert.Equal("priya.plants", contact.Profile?.Username);
    }

    [Fact]
    public void An_unknown_message_type_is_an_unknown_event_that_keeps_all_its_json()
    {
        const string message = """{"from":"44","id":"wamid.NEW","timestamp":"1767261601","type":"poll_vote","poll_vote":{"option":"B"}}""";
        var e = Split(message);

        Assert.Equal("messages.unknown", e.Type);
        Assert.Equal("msg:wamid.NEW", e.Id);
        Assert.Equal(message, e.GetRawText());
        var unknown = Assert.IsType<UnknownMessage>(e.Payload);
        Assert.Equal(("poll_vote", "wamid.NEW"), (unknown.Type, unknown.Wamid));
        Assert.Equal("B", unknown.Raw.GetProperty("poll_vote").GetProperty("option").GetString());
        Assert.True(unknown.ExtensionData!.ContainsKey("poll_vote"));
    }

    [Fact]
    public void A_message_with_no_type_and_an_unknown_interactive_reply_are_kept()
    {
        var untyped = Split("""{"from":"44","id":"wamid.NOTYPE","timestamp":"1767261601"}""");
        var poll = Split("""{"id":"wamid.POLL","type":"interactive","interactive":{"type":"poll_reply","poll_reply":{"option":"B"}}}""");

        Assert.Equal("messages.unknown", untyped.Type);
        Assert.IsType<UnknownMessage>(untyped.Payload);
        Assert.Equal("messages.interactive.unknown", poll.Type);
        var interactive = Assert.IsType<InteractiveMessage>(poll.Payload).Interactive!;
        Assert.True(interactive.ExtensionData!.ContainsKey("poll_reply"));
    }

    [Fact]
    public void A_call_permission_reply_is_typed_with_an_expiry_sent_as_a_string_or_a_number()
    {
        var asString = Split("""{"id":"wamid.CPR1","type":"interactive","context":{"from":"1555","id":"wacid.CALL"},"interactive":{"type":"call_permission_reply","call_permission_reply":{"response":"accept","is_permanent":false,"expiration_timestamp":"1767868501","response_source":"automatic"}}}""");
        var asNumber = Split("""{"id":"wamid.CPR2","type":"interactive","interactive":{"type":"call_permission_reply","call_permission_reply":{"response":"reject","is_permanent":true,"expiration_timestamp":1767868501,"response_source":"user_action"}}}""");

        Assert.Equal("messages.interactive.call_permission_reply", asString.Type);
        var first = Assert.IsType<InteractiveMessage>(asString.Payload);
        var reply = first.Interactive!.CallPermissionReply!;
        Assert.Equal(("accept", false, "automatic"), (reply.Response, reply.IsPermanent, reply.ResponseSource));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767868501), reply.ExpirationTimestamp);
        Assert.Equal("wacid.CALL", first.Context!.Wamid);
        var second = Assert.IsType<InteractiveMessage>(asNumber.Payload).Interactive!.CallPermissionReply!;
        Assert.Equal(("reject", true, DateTimeOffset.FromUnixTimeSeconds(1767868501)), (second.Response, second.IsPermanent, second.ExpirationTimestamp));
    }

    [Fact]
    public void An_unknown_property_is_kept_in_extension_data()
    {
        var e = Split("""{"id":"wamid.EXT","type":"text","text":{"body":"x","format":"md"},"origin":{"type":"contact_request"}}""");
        var text = Assert.IsType<TextMessage>(e.Payload);

        Assert.Equal("contact_request", text.ExtensionData!["origin"].GetProperty("type").GetString());
        Assert.Equal("md", text.Text!.ExtensionData!["format"].GetString());
    }

    [Fact]
    public void A_message_that_does_not_fit_the_model_is_kept_unparsed_with_its_key_and_type()
    {
        var e = Split("""{"id":"wamid.BAD","timestamp":"1767261601","type":"text","text":{"body":{"not":"a string"}}}""");

        Assert.Equal(("msg:wamid.BAD", "messages.text"), (e.Id, e.Type));
        var unparsed = Assert.IsType<UnparsedPayload>(e.Payload);
        Assert.NotNull(e.PayloadError);
        Assert.Equal("wamid.BAD", unparsed.Raw.GetProperty("id").GetString());
    }

    [Fact]
    public void Timestamps_read_from_strings_and_numbers_and_tolerate_nonsense()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261601), ((InboundMessage)Split("""{"id":"a","type":"text","timestamp":1767261601}""").Payload).Timestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261601), ((InboundMessage)Split("""{"id":"b","type":"text","timestamp":"1767261601"}""").Payload).Timestamp);
        Assert.Null(((InboundMessage)Split("""{"id":"c","type":"text","timestamp":"soon"}""").Payload).Timestamp);
        Assert.Null(((InboundMessage)Split("""{"id":"d","type":"text","timestamp":99999999999999999}""").Payload).Timestamp);
    }

    private static WabaEvent Single(string name)
    {
        var result = DeliverySplitter.Split(Fixtures.Read(name), 1);
        Assert.True(result.IsSuccess, result.Error);
        return Assert.Single(result.Events);
    }

    private static WabaEvent Split(string message)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{{{message}}}]}}]}]}""");
        var result = DeliverySplitter.Split(body, 1);
        Assert.True(result.IsSuccess, result.Error);
        return Assert.Single(result.Events);
    }
}
