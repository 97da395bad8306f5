using System.Text;
using WabaHooks.Events;
using WabaHooks.Testing;

namespace WabaHooks.Tests.Events;

public sealed class ConversationKeysTests
{
    private const string Phone = "118765432100002";
    private const string Customer = "447700900456";
    private const string Bsuid = "GB.8d3f0a1b2c4e5f60718293a4b5c6d7e8";
    private const string Group = "HBgLMTIwMzYzNDAwMDAVAgASGBQzQUJDREVGRkFLRUdST1VQMDEA";

    private static IReadOnlyList<string> KeysOf(string payload) =>
        [.. DeliverySplitter.Split(ExamplePayloads.Read(payload), 1).Events.Select(ConversationKeys.Of)];

    [Theory]
    [InlineData("messages-text.json")]
    [InlineData("messages-status-delivered.json")]
    [InlineData("messages-status-failed.json")]
    [InlineData("calls-connect-user-initiated.json")]
    [InlineData("calls-connect-business-initiated.json")]
    [InlineData("calls-status-ringing.json")]
    public void A_customers_messages_statuses_and_calls_share_one_conversation_per_business_number(string payload) =>
        Assert.All(KeysOf(payload), key => Assert.Equal($"{Phone}:{Customer}", key));

    [Theory]
    [InlineData("messages-text-bsuid-username.json")]
    [InlineData("messages-status-delivered-bsuid.json")]
    public void A_customer_known_only_by_a_business_scoped_user_id_is_keyed_on_it(string payload) =>
        Assert.All(KeysOf(payload), key => Assert.Equal($"{Phone}:{Bsuid}", key));

    [Theory]
    [InlineData("messages-group-text.json")]
    [InlineData("messages-status-group-sent.json")]
    public void Group_messages_and_group_sends_are_one_conversation_per_group(string payload) =>
        Assert.All(KeysOf(payload), key => Assert.Equal($"{Phone}:group:{Group}", key));

    [Fact]
    public void The_phone_number_is_preferred_to_the_business_scoped_user_id_when_both_are_sent()
    {
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"w","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"{{{Phone}}}"},"messages":[{"from":"{{{Customer}}}","from_user_id":"{{{Bsuid}}}","id":"wamid.1","timestamp":"1","type":"text","text":{"body":"x"}}],"statuses":[{"id":"wamid.2","status":"read","timestamp":"2","recipient_id":"{{{Customer}}}","recipient_user_id":"{{{Bsuid}}}"}]}}]}]}""");

        Assert.All(DeliverySplitter.Split(body, 1).Events.Select(ConversationKeys.Of), key => Assert.Equal($"{Phone}:{Customer}", key));
    }

    [Theory]
    [InlineData("account_update-disabled.json")]
    [InlineData("messages-value-errors.json")]
    [InlineData("message_template_status_update-approved.json")]
    public void Events_about_no_conversation_are_keyed_on_their_WABA(string payload)
    {
        var events = DeliverySplitter.Split(ExamplePayloads.Read(payload), 1).Events;
        Assert.All(events, e => Assert.Equal("waba:" + e.WabaId, ConversationKeys.Of(e)));
    }

    [Theory]
    [InlineData("""{"id":"wamid.1","type":"text"}""")]
    [InlineData("""{"from":17,"id":"wamid.1"}""")]
    [InlineData("""{"from":"","id":"wamid.1"}""")]
    public void A_message_that_names_no_customer_is_keyed_on_its_WABA(string message)
    {
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"w","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"{{{Phone}}}"},"messages":[{{{message}}}]}}]}]}""");

        Assert.Equal("waba:w", ConversationKeys.Of(Assert.Single(DeliverySplitter.Split(body, 1).Events)));
    }

    [Theory]
    [InlineData("\\ud800", false)]
    [InlineData("", true)]
    public void A_message_with_a_top_level_string_that_is_not_text_is_keyed_on_its_WABA_whichever_property_holds_it(string escaped, bool invalidByte)
    {
        // The key reads only a few properties; an item whose other strings cannot be text is still odd input.
        var head = Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"w","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"{{{Phone}}}"},"messages":[{"from":"{{{Customer}}}","id":"wamid.1","type":"text","note":"{{{escaped}}}""");
        byte[] body = [.. head, .. invalidByte ? new byte[] { 0xFF } : [], .. "\"}]}}]}]}"u8];

        Assert.Equal("waba:w", ConversationKeys.Of(Assert.Single(DeliverySplitter.Split(body, 1).Events)));
    }
}
