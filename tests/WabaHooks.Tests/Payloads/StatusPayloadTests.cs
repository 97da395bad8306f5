using WabaHooks.Events;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Payloads;

public sealed class StatusPayloadTests
{
    [Fact]
    public void A_sent_status_carries_conversation_and_pricing()
    {
        var e = Single("messages-status-sent-v23.json");
        var status = Assert.IsType<MessageStatus>(e.Payload);

        Assert.Equal("statuses.sent", e.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767348000), status.Conversation?.ExpirationTimestamp);
        Assert.Equal("marketing", status.Conversation?.Origin?.Type);
        Assert.Equal(("PMP", "regular", "marketing", true), (status.Pricing?.PricingModel, status.Pricing?.Type, status.Pricing?.Category, status.Pricing?.Billable));
    }

    [Fact]
    public void A_v24_sent_status_has_no_conversation_and_keeps_the_callback_data()
    {
        var status = Assert.IsType<MessageStatus>(Single("messages-status-sent-v24.json").Payload);

        Assert.Null(status.Conversation);
        Assert.Equal("campaign=jan-sale;variant=B", status.BizOpaqueCallbackData);
    }

    [Fact]
    public void A_failed_status_carries_its_errors()
    {
        var e = Single("messages-status-failed.json");

        Assert.Equal("statuses.failed", e.Type);
        Assert.Equal(131049, Assert.Single(Assert.IsType<MessageStatus>(e.Payload).Errors!).Code);
    }

    [Fact]
    public void A_group_status_names_the_participant_and_is_keyed_by_it()
    {
        var e = Single("messages-status-group-sent.json");
        var status = Assert.IsType<MessageStatus>(e.Payload);

        Assert.Equal(("group", "447700900456"), (status.RecipientType, status.RecipientParticipantId));
        Assert.Equal("status:wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMTA=:sent:447700900456", e.Id);
    }

    [Fact]
    public void A_status_to_a_username_user_has_a_recipient_user_id_and_no_recipient_id()
    {
        var e = Single("messages-status-delivered-bsuid.json");
        var status = Assert.IsType<MessageStatus>(e.Payload);

        Assert.Null(status.RecipientId);
        Assert.Equal("GB.8d3f0a1b2c4e5f60718293a4b5c6d7e8", status.RecipientUserId);
        Assert.Equal("GB.8d3f0a1b2c4e5f60718293a4b5c6d7e8", Assert.Single(e.Contacts!).UserId);
    }

    [Theory]
    [InlineData("messages-status-delivered.json", "statuses.delivered")]
    [InlineData("messages-status-read.json", "statuses.read")]
    [InlineData("messages-status-played.json", "statuses.played")]
    public void Each_status_value_has_its_type(string name, string type) => Assert.Equal(type, Single(name).Type);

    [Fact]
    public void Value_level_errors_are_one_event()
    {
        var e = Single("messages-value-errors.json");

        Assert.Equal((WabaEventKind.Errors, "messages.errors"), (e.Kind, e.Type));
        var error = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<WhatsAppError>>(e.Payload));
        Assert.Equal((130429L, "Rate limit hit"), (error.Code, error.Title));
        Assert.StartsWith("sha256:", e.Id, StringComparison.Ordinal);
    }

    private static WabaEvent Single(string name)
    {
        var result = DeliverySplitter.Split(Fixtures.Read(name), 1);
        Assert.True(result.IsSuccess, result.Error);
        return Assert.Single(result.Events);
    }
}
