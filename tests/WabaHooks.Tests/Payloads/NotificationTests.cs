using System.Text.Json;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Payloads;

public sealed class NotificationTests
{
    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Every_payload_deserialises_as_a_notification_and_every_value_as_its_field(string name)
    {
        var notification = JsonSerializer.Deserialize(Fixtures.Read(name), WhatsAppJsonContext.Default.Notification)!;

        Assert.Equal("whatsapp_business_account", notification.Object);
        Assert.NotEmpty(notification.Entry);
        Assert.All(notification.Entry.SelectMany(e => e.Changes), change =>
        {
            Assert.Equal(JsonValueKind.Object, change.Value.ValueKind);
            var value = WhatsAppFields.ReadValue(change.Field, JsonSerializer.SerializeToUtf8Bytes(change.Value, WhatsAppJsonContext.Default.JsonElement));
            Assert.IsNotType<UnknownFieldValue>(value);
        });
    }

    [Fact]
    public void Entry_time_is_read_and_optional()
    {
        var withTime = JsonSerializer.Deserialize(Fixtures.Read("account_alerts.json"), WhatsAppJsonContext.Default.Notification)!;
        var without = JsonSerializer.Deserialize(Fixtures.Read("messages-text.json"), WhatsAppJsonContext.Default.Notification)!;

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261600), withTime.Entry[0].Time);
        Assert.Null(without.Entry[0].Time);
    }

    [Fact]
    public void A_messages_value_deserialises_its_messages_by_type()
    {
        var value = Assert.IsType<MessagesValue>(WhatsAppFields.ReadValue("messages", """
            {"messages":[{"type":"text","id":"a","text":{"body":"x"}},{"location":{"latitude":1.5,"longitude":2},"id":"b","type":"location"},{"id":"c","type":"new_thing"}]}
            """u8));

        Assert.Collection(
            value.Messages!,
            m => Assert.IsType<TextMessage>(m),
            m => Assert.Equal(1.5, Assert.IsType<LocationMessage>(m).Location?.Latitude),
            m => Assert.Equal("new_thing", Assert.IsType<UnknownMessage>(m).Type));
    }

    [Fact]
    public void A_message_serialises_as_its_own_type()
    {
        var message = JsonSerializer.Deserialize("""{"id":"a","type":"reaction","timestamp":"1767261620","reaction":{"message_id":"m"}}"""u8, WhatsAppJsonContext.Default.InboundMessage);

        var json = JsonSerializer.Serialize(message, WhatsAppJsonContext.Default.InboundMessage);

        Assert.Contains("\"reaction\":{\"message_id\":\"m\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"timestamp\":\"1767261620\",\"type\":\"reaction\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("emoji", json, StringComparison.Ordinal);
    }
}
