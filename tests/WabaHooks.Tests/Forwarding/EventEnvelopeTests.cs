using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Destinations;
using WabaHooks.Payloads;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Forwarding;

public sealed class EventEnvelopeTests
{
    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Every_event_of_every_payload_is_written_with_its_fields_and_its_exact_raw_json(string name)
    {
        var body = Fixtures.Read(name);

        foreach (var e in MetaEnvelopeTests.Split(body))
        {
            using var written = JsonDocument.Parse(EventEnvelope.Write(e));
            var root = written.RootElement;
            var data = root.GetProperty("data");

            Assert.Equal(e.Type, root.GetProperty("type").GetString());
            Assert.Equal(Iso(e.OccurredAt), Text(root, "timestamp"));
            Assert.Equal(e.Id, data.GetProperty("id").GetString());
            Assert.Equal(e.Field, data.GetProperty("field").GetString());
            Assert.Equal(e.WabaId, data.GetProperty("waba_id").GetString());
            Assert.Equal(e.PhoneNumberId, Text(data, "phone_number_id"));
            Assert.Equal(Iso(e.OccurredAt), Text(data, "occurred_at"));
            Assert.Equal(e.DeliveryId, data.GetProperty("delivery_id").GetInt64());
            Assert.Equal(e.Metadata is null, !data.TryGetProperty("metadata", out var metadata));
            if (e.Metadata is not null)
            {
                Assert.Equal(e.Metadata.DisplayPhoneNumber, Text(metadata, "display_phone_number"));
                Assert.Equal(e.Metadata.PhoneNumberId, Text(metadata, "phone_number_id"));
            }

            Assert.Equal(Encoding.UTF8.GetString(e.RawJson.Span), Raw(data.GetProperty("payload")));
            if (data.TryGetProperty("contacts", out var contacts))
            {
                // The value's contacts exactly as in the delivery: a slice of the body, copied byte for byte.
                Assert.Contains(Raw(contacts), Encoding.UTF8.GetString(body), StringComparison.Ordinal);
                Assert.Equal(e.Contacts!.Count, contacts.GetArrayLength());
            }
            else
            {
                Assert.Null(e.Contacts);
            }
        }
    }

    [Fact]
    public void Every_message_with_contacts_in_the_examples_carries_them()
    {
        // Guards the check above against passing only because no event had contacts.
        var withContacts = Fixtures.Names
            .SelectMany(name => MetaEnvelopeTests.Split(Fixtures.Read(name)))
            .Where(e => e.Contacts is not null)
            .Select(e => Encoding.UTF8.GetString(EventEnvelope.Write(e)))
            .Count(json => json.Contains("\"contacts\":[", StringComparison.Ordinal));

        Assert.True(withContacts > 20, $"only {withContacts} events with contacts");
    }

    [Fact]
    public void A_message_event_is_written_exactly_in_this_shape()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"object":"whatsapp_business_account","entry":[{"id":"1001","changes":[{"field":"messages","value":{
              "metadata": {"display_phone_number": "15550001", "phone_number_id": "P1"},
              "contacts": [ {"wa_id": "441"} ],
              "messages": [ {"from": "441", "id": "wamid.A+1", "timestamp": "1767261601", "type": "text", "text": {"body": "caf\u00e9"}} ]}}]}]}
            """);
        var e = Assert.Single(MetaEnvelopeTests.Split(body));

        var written = Encoding.UTF8.GetString(EventEnvelope.Write(e));

        Assert.Equal(
            """{"type":"messages.text","timestamp":"2026-01-01T10:00:01Z","data":{"id":"msg:wamid.A+1","field":"messages","waba_id":"1001","phone_number_id":"P1","occurred_at":"2026-01-01T10:00:01Z","delivery_id":1,"metadata":{"display_phone_number":"15550001","phone_number_id":"P1"},"contacts":[ {"wa_id": "441"} ],"payload":{"from": "441", "id": "wamid.A+1", "timestamp": "1767261601", "type": "text", "text": {"body": "caf\u00e9"}}}}""",
            written);
    }

    [Fact]
    public void What_an_event_does_not_have_is_left_out_rather_than_written_as_null()
    {
        var e = new WabaEvent
        {
            Id = "sha256:00",
            Type = "account_update",
            Kind = WabaEventKind.Change,
            Field = "account_update",
            WabaId = "1001",
            DeliveryId = 7,
            Position = 0,
            Payload = new UnparsedPayload(default, "test"),
            RawJson = """{"event":"ACCOUNT_DELETED"}"""u8.ToArray(),
        };

        var written = Encoding.UTF8.GetString(EventEnvelope.Write(e));

        Assert.Equal(
            """{"type":"account_update","data":{"id":"sha256:00","field":"account_update","waba_id":"1001","delivery_id":7,"payload":{"event":"ACCOUNT_DELETED"}}}""",
            written);
    }

    [Fact]
    public void A_change_with_no_value_has_a_null_payload()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[{"id":"1001","changes":[{"field":"account_update"}]}]}""");
        var e = Assert.Single(MetaEnvelopeTests.Split(body));

        using var written = JsonDocument.Parse(EventEnvelope.Write(e));

        Assert.Equal(JsonValueKind.Null, written.RootElement.GetProperty("data").GetProperty("payload").ValueKind);
    }

    [Fact]
    public void A_timestamp_with_an_offset_is_written_in_utc()
    {
        var at = new DateTimeOffset(2026, 1, 1, 12, 30, 5, TimeSpan.FromHours(2)).AddTicks(1234567);

        var written = Encoding.UTF8.GetString(EventEnvelope.WriteTest("test_1", at));

        Assert.Equal(
            """{"type":"wabahooks.test","timestamp":"2026-01-01T10:30:05.1234567Z","data":{"id":"test_1","message":"A test event from wabahooks destinations test."}}""",
            written);
    }

    [Fact]
    public void A_test_event_is_written_exactly_in_this_shape()
    {
        var written = Encoding.UTF8.GetString(EventEnvelope.WriteTest("msg_test", new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero)));

        Assert.Equal(
            """{"type":"wabahooks.test","timestamp":"2026-01-01T10:00:00Z","data":{"id":"msg_test","message":"A test event from wabahooks destinations test."}}""",
            written);
    }

    private static string? Iso(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string Raw(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));
}
