using System.Text;
using WabaHooks.Events;
using Fixtures = WabaHooks.Testing.ExamplePayloads;
using static WabaHooks.Tests.Events.DeliverySplitterTests;

namespace WabaHooks.Tests.Events;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void The_same_delivery_split_twice_gives_the_same_keys(string name)
    {
        var body = Fixtures.Read(name);

        var first = DeliverySplitter.Split(body, 1).Events.Select(e => e.Id);
        var second = DeliverySplitter.Split(body.ToArray(), 2).Events.Select(e => e.Id);

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_same_message_in_two_different_deliveries_gets_the_same_key()
    {
        var alone = Split(Envelope($$$"""{"field":"messages","value":{"messages":[{{{Text("wamid.SAME")}}}]}}"""));
        var batched = Split($$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"109876543210001","changes":[
              {"value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"P"},"contacts":[{"wa_id":"44"}],
                "messages":[{{{Text("wamid.OTHER")}}},   {{{Text("wamid.SAME")}}}]},"field":"messages"}]}]}
            """);

        Assert.Equal("msg:wamid.SAME", Assert.Single(alone).Id);
        Assert.Contains(batched, e => e.Id == "msg:wamid.SAME");
    }

    [Fact]
    public void The_same_change_value_in_two_different_deliveries_gets_the_same_key()
    {
        const string change = """{"field":"account_update","value":{"event":"ACCOUNT_DELETED"}}""";
        var alone = Split($$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","time":1767261600,"changes":[{{{change}}}]}]}""");
        var batched = Split($$$"""
            {"entry":[{"id":"2","time":1767261600,"changes":[{{{change}}}]},
                      {"time":1767261600,"id":"1","changes":[{"field":"security","value":{"event":"PIN_CHANGED"}}, {{{change}}}]}],
             "object":"whatsapp_business_account"}
            """);

        var key = Assert.Single(alone).Id;
        Assert.StartsWith("sha256:", key, StringComparison.Ordinal);
        Assert.Equal(71, key.Length);
        Assert.Equal(key, batched[2].Id);
        Assert.NotEqual(key, batched[0].Id);
    }

    [Fact]
    public void The_change_key_depends_on_entry_time_field_and_value()
    {
        static string Key(string entry) => Assert.Single(Split($$$"""{"object":"whatsapp_business_account","entry":[{{{entry}}}]}""")).Id;

        var keys = new[]
        {
            Key("""{"id":"1","time":1767261600,"changes":[{"field":"security","value":{"event":"PIN_CHANGED"}}]}"""),
            Key("""{"id":"1","time":1767261601,"changes":[{"field":"security","value":{"event":"PIN_CHANGED"}}]}"""),
            Key("""{"id":"1","changes":[{"field":"security","value":{"event":"PIN_CHANGED"}}]}"""),
            Key("""{"id":"2","time":1767261600,"changes":[{"field":"security","value":{"event":"PIN_CHANGED"}}]}"""),
            Key("""{"id":"1","time":1767261600,"changes":[{"field":"flows","value":{"event":"PIN_CHANGED"}}]}"""),
            Key("""{"id":"1","time":1767261600,"changes":[{"field":"security","value":{"event":"PIN_RESET_REQUEST"}}]}"""),
        };

        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(keys[0], Key("""{"id":"1","time":"1767261600","changes":[{"field":"security","value":{"event":"PIN_CHANGED"}}]}"""));
    }

    [Fact]
    public void Distinct_statuses_of_one_message_get_distinct_keys()
    {
        var events = Split(Envelope($$$"""
            {"field":"messages","value":{"statuses":[
              {{{Status("wamid.X", "sent")}}},{{{Status("wamid.X", "delivered")}}},{{{Status("wamid.X", "read")}}},
              {{{Status("wamid.X", "played")}}},{{{Status("wamid.X", "failed")}}},{{{Status("wamid.X", "deleted")}}}]}}
            """));

        Assert.Equal(
            ["status:wamid.X:sent", "status:wamid.X:delivered", "status:wamid.X:read", "status:wamid.X:played", "status:wamid.X:failed", "status:wamid.X:deleted"],
            events.Select(e => e.Id));
        Assert.Equal("statuses.unknown", events[^1].Type);
    }

    [Fact]
    public void Group_statuses_of_one_message_are_keyed_per_participant()
    {
        var events = Split(Envelope($$$"""
            {"field":"messages","value":{"statuses":[{{{Status("wamid.G", "read", "4471")}}},{{{Status("wamid.G", "read", "4472")}}}]}}
            """));

        Assert.Equal(["status:wamid.G:read:4471", "status:wamid.G:read:4472"], events.Select(e => e.Id));
    }

    [Fact]
    public void The_fixture_status_story_of_one_wamid_gets_one_key_per_status()
    {
        var files = new[]
        {
            "messages-status-sent-v23.json", "messages-status-read.json", "messages-status-played.json", "messages-status-failed.json",
        };

        var keys = files.Select(f => Assert.Single(DeliverySplitter.Split(Fixtures.Read(f), 1).Events).Id).ToArray();

        Assert.Equal(
            ["sent", "read", "played", "failed"],
            keys.Select(k => k["status:wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=:".Length..]));
    }

    [Fact]
    public void Posting_every_payload_file_yields_unique_message_status_and_call_keys()
    {
        var events = Fixtures.Names.SelectMany(name => DeliverySplitter.Split(Fixtures.Read(name), 1).Events).ToList();
        var keyed = events.Where(e => e.Kind is WabaEventKind.Message or WabaEventKind.Status or WabaEventKind.Call or WabaEventKind.CallStatus)
            .Select(e => e.Id).ToList();

        Assert.True(keyed.Count > 40);
        Assert.Equal(keyed.Count, keyed.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keyed, k => Assert.Matches("^((msg|status):(wamid|wacid)|(call|call-status):wacid)\\.", k));
        Assert.Contains(keyed, k => k.StartsWith("call:", StringComparison.Ordinal));
        Assert.Contains(keyed, k => k.StartsWith("call-status:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_public_call_keys_are_the_keys_the_splitter_gives()
    {
        var events = Split(Envelope("""
            {"field":"calls","value":{"calls":[{"id":"wacid.K","event":"terminate","timestamp":"1767263190"}],
              "statuses":[{"id":"wacid.K","type":"call","status":"REJECTED","timestamp":"1767263189"}]}}
            """));

        Assert.Equal(
            [IdempotencyKeys.ForCall("wacid.K", "terminate"), IdempotencyKeys.ForCallStatus("wacid.K", "REJECTED")],
            events.Select(e => e.Id));
        Assert.Equal(["call:wacid.K:terminate", "call-status:wacid.K:REJECTED"], events.Select(e => e.Id));
    }

    [Fact]
    public void A_voicemail_message_keyed_by_its_wacid_never_collides_with_the_calls_keys()
    {
        var message = Split(Envelope($$$"""{"field":"messages","value":{"messages":[{{{Text("wacid.V")}}}]}}"""));
        var call = Split(Envelope("""{"field":"calls","value":{"calls":[{"id":"wacid.V","event":"connect"}]}}"""));

        Assert.Equal("msg:wacid.V", Assert.Single(message).Id);
        Assert.Equal("call:wacid.V:connect", Assert.Single(call).Id);
    }

    [Fact]
    public void A_message_without_an_id_is_keyed_by_the_hash_of_its_bytes()
    {
        var events = Split(Envelope("""{"field":"messages","value":{"messages":[{"type":"text","text":{"body":"?"}}]}}"""));

        Assert.StartsWith("sha256:", Assert.Single(events).Id, StringComparison.Ordinal);
    }

    private static IReadOnlyList<WabaEvent> Split(string body)
    {
        var result = DeliverySplitter.Split(Encoding.UTF8.GetBytes(body), 1);
        Assert.True(result.IsSuccess, result.Error);
        return result.Events;
    }
}
