using System.Text;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Testing;
using Fixtures = WabaHooks.Testing.ExamplePayloads;

namespace WabaHooks.Tests.Events;

public sealed class DeliverySplitterTests
{
    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Every_payload_yields_the_events_its_json_implies(string name)
    {
        var body = Fixtures.Read(name);

        var result = DeliverySplitter.Split(body, 42);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(ExpectedEvents.TypesOf(body), result.Events.Select(e => e.Type));
        Assert.All(result.Events, e =>
        {
            Assert.Equal(42, e.DeliveryId);
            Assert.Contains(e.WabaId, (string[])["109876543210001", "204060801234567"]);
            Assert.Null(e.PayloadError);
            Assert.IsNotType<WabaHooks.Payloads.UnparsedPayload>(e.Payload);
            Assert.False(e.RawJson.IsEmpty);
            using var raw = JsonDocument.Parse(e.RawJson);
        });
        Assert.Equal(Enumerable.Range(0, result.Events.Count), result.Events.Select(e => e.Position));
    }

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Messages_calls_and_statuses_occur_at_their_timestamp_and_other_changes_at_the_entry_time(string name)
    {
        var body = Fixtures.Read(name);
        using var document = JsonDocument.Parse(body);
        var entryTime = document.RootElement.GetProperty("entry")[0].TryGetProperty("time", out var time)
            ? DateTimeOffset.FromUnixTimeSeconds(time.GetInt64())
            : (DateTimeOffset?)null;

        var result = DeliverySplitter.Split(body, 1);

        Assert.All(result.Events, e =>
        {
            if (e.Kind is WabaEventKind.Message or WabaEventKind.Status or WabaEventKind.Call or WabaEventKind.CallStatus or WabaEventKind.Item)
            {
                using var raw = JsonDocument.Parse(e.RawJson);
                var timestamp = raw.RootElement.GetProperty("timestamp");
                var seconds = timestamp.ValueKind == JsonValueKind.Number
                    ? timestamp.GetInt64()
                    : long.Parse(timestamp.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), e.OccurredAt);
            }
            else
            {
                Assert.Equal(entryTime, e.OccurredAt);
            }

            if (e.Field is "messages" or "calls" or "automatic_events" or "tracking_events" or "user_id_update" || e.Field.StartsWith("group_", StringComparison.Ordinal))
            {
                Assert.Equal("118765432100002", e.PhoneNumberId);
            }
        });
    }

    [Fact]
    public void A_batch_of_several_entries_changes_messages_and_statuses_loses_none()
    {
        var body = Encoding.UTF8.GetBytes($$$"""
            {"object":"whatsapp_business_account","entry":[
              {"id":"1001","changes":[
                {"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"P1"},
                  "messages":[{{{Text("wamid.A1")}}},{{{Text("wamid.A2")}}},{{{Text("wamid.A3")}}}],
                  "statuses":[{{{Status("wamid.S1", "sent")}}},{{{Status("wamid.S1", "delivered")}}}]}},
                {"field":"messages","value":{"metadata":{"phone_number_id":"P2"},"statuses":[{{{Status("wamid.S2", "read")}}}]}},
                {"field":"account_update","value":{"event":"ACCOUNT_DELETED"}}]},
              {"id":"1002","time":1767261600,"changes":[
                {"value":{"decision":"APPROVED"},"field":"account_review_update"},
                {"field":"messages","value":{"metadata":{"phone_number_id":"P3"},"messages":[{{{Text("wamid.B1")}}}],
                  "errors":[{"code":130429,"title":"Rate limit hit"}]}}]}]}
            """);

        var result = DeliverySplitter.Split(body, 7);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(
            [
                "msg:wamid.A1", "msg:wamid.A2", "msg:wamid.A3", "status:wamid.S1:sent", "status:wamid.S1:delivered",
                "status:wamid.S2:read",
            ],
            result.Events.Take(6).Select(e => e.Id));
        Assert.Equal(
            [
                "messages.text", "messages.text", "messages.text", "statuses.sent", "statuses.delivered", "statuses.read",
                "account_update", "account_review_update", "messages.text", "messages.errors",
            ],
            result.Events.Select(e => e.Type));
        Assert.Equal(["1001", "1001", "1001", "1001", "1001", "1001", "1001", "1002", "1002", "1002"], result.Events.Select(e => e.WabaId));
        Assert.Equal(["P1", "P1", "P1", "P1", "P1", "P2", null, null, "P3", "P3"], result.Events.Select(e => e.PhoneNumberId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261600), result.Events[7].OccurredAt);
        Assert.Equal(result.Events.Count, result.Events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void The_raw_json_of_each_item_is_its_exact_bytes_in_the_delivery()
    {
        var message = """{"from":"44","id":"wamid.RAW","timestamp":"1767261601","type":"text","text":{"body":"caf\u00e9"}}""";
        var body = Encoding.UTF8.GetBytes(Envelope($$$"""{"field":"messages","value":{"messages":[ {{{message}}} ]}}"""));

        var result = DeliverySplitter.Split(body, 1);

        Assert.Equal(message, Assert.Single(result.Events).GetRawText());
    }

    [Fact]
    public void A_change_whose_field_follows_its_value_and_an_entry_whose_id_follows_its_changes_are_split()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"entry":[{"changes":[{"value":{"event":"ACCOUNT_DELETED"},"field":"account_update"}],"time":"1767261600","id":"999"}],
             "object":"whatsapp_business_account"}
            """);

        var result = DeliverySplitter.Split(body, 1);

        var single = Assert.Single(result.Events);
        Assert.Equal(("account_update", "999"), (single.Type, single.WabaId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261600), single.OccurredAt);
    }

    [Theory]
    [InlineData("", SplitFailure.NotJson)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[", SplitFailure.NotJson)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[]} trailing", SplitFailure.NotJson)]
    [InlineData("not json at all", SplitFailure.NotJson)]
    [InlineData("[1,2,3]", SplitFailure.UnexpectedObject)]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"changes\":[]}]}", SplitFailure.UnexpectedObject)]
    [InlineData("{\"entry\":[]}", SplitFailure.UnexpectedObject)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":{}}", SplitFailure.MalformedEnvelope)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":\"x\"}]}", SplitFailure.MalformedEnvelope)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[1]}", SplitFailure.MalformedEnvelope)]
    public void A_delivery_that_is_not_a_whatsapp_notification_fails_without_throwing(string body, SplitFailure expected)
    {
        var result = DeliverySplitter.Split(Encoding.UTF8.GetBytes(body), 1);

        Assert.False(result.IsSuccess);
        Assert.Equal(expected, result.Failure);
        Assert.False(string.IsNullOrEmpty(result.Error));
        Assert.Empty(result.Events);
    }

    [Fact]
    public void A_notification_with_no_entries_splits_into_no_events()
    {
        var result = DeliverySplitter.Split("""{"object":"whatsapp_business_account","entry":[]}"""u8.ToArray(), 1);

        Assert.True(result.IsSuccess);
        Assert.Empty(result.Events);
    }

    internal static string Envelope(string change, string entryId = "109876543210001") =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"{{{entryId}}}","changes":[{{{change}}}]}]}""";

    internal static string Text(string wamid) =>
        $$$"""{"from":"447700900456","id":"{{{wamid}}}","timestamp":"1767261601","type":"text","text":{"body":"hi"}}""";

    internal static string Status(string wamid, string status, string? participant = null) =>
        participant is null
            ? $$$"""{"id":"{{{wamid}}}","status":"{{{status}}}","timestamp":"1767261700","recipient_id":"447700900456"}"""
            : $$$"""{"id":"{{{wamid}}}","status":"{{{status}}}","timestamp":"1767261700","recipient_id":"G1","recipient_type":"group","recipient_participant_id":"{{{participant}}}"}""";
}
