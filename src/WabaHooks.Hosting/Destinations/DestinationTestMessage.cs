using System.Globalization;
using System.Text;
using WabaHooks.Destinations;
using WabaHooks.Events;

namespace WabaHooks.Hosting.Destinations;

/// <summary>The message <c>wabahooks destinations test</c> sends, the same for every kind of destination.</summary>
public static class DestinationTestMessage
{
    /// <summary>The WABA id of the test message: none is real.</summary>
    public const string WabaId = "0";

    /// <summary>
    /// A test in <paramref name="format"/>: for <see cref="DestinationFormat.Event"/> a <c>wabahooks.test</c> event (field
    /// <c>wabahooks</c>); for <see cref="DestinationFormat.Meta"/> a <c>messages</c> notification holding a text message
    /// (type <c>messages.text</c>) from the test numbers Meta's dashboard uses, with a wamid that says it is a test. Its
    /// id starts with <c>test:</c> and is new each time.
    /// </summary>
    /// <param name="format">The destination's format.</param>
    /// <param name="now">When it is sent.</param>
    public static DestinationMessage Create(DestinationFormat format, DateTimeOffset now)
    {
        var id = $"test:{Guid.NewGuid():N}";
        var body = format == DestinationFormat.Event ? EventEnvelope.WriteTest(id, now) : Envelope(id, now);
        var e = format == DestinationFormat.Event
            ? new WabaEvent
            {
                Id = id, Type = EventEnvelope.TestType, Kind = WabaEventKind.Change, Field = "wabahooks", WabaId = WabaId,
                DeliveryId = 0, Position = 0, Payload = EventEnvelope.TestMessage, RawJson = body, IsTest = true, OccurredAt = now,
            }
            : new WabaEvent
            {
                Id = id, Type = "messages.text", Kind = WabaEventKind.Message, Field = "messages", WabaId = WabaId,
                PhoneNumberId = "123456123", DeliveryId = 0, Position = 0, Payload = "", RawJson = body, IsTest = true, OccurredAt = now,
            };
        return new DestinationMessage(id, body, [e]);
    }

    private static byte[] Envelope(string id, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var wamid = "wamid.wabahooks-" + id.Replace(':', '-');
        return Encoding.UTF8.GetBytes(
            "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"0\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\","
            + "\"metadata\":{\"display_phone_number\":\"16505551111\",\"phone_number_id\":\"123456123\"},"
            + "\"contacts\":[{\"profile\":{\"name\":\"test user name\"},\"wa_id\":\"16315551181\"}],"
            + $"\"messages\":[{{\"from\":\"16315551181\",\"id\":\"{wamid}\",\"timestamp\":\"{seconds}\",\"type\":\"text\",\"text\":{{\"body\":\"A test from wabahooks destinations test.\"}}}}]}},"
            + "\"field\":\"messages\"}]}]}");
    }
}
