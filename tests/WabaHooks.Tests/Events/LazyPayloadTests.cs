using System.Text;
using WabaHooks.Events;
using WabaHooks.Payloads;
using static WabaHooks.Tests.Events.DeliverySplitterTests;

namespace WabaHooks.Tests.Events;

public sealed class LazyPayloadTests
{
    [Fact]
    public void A_payload_read_lazily_is_the_same_instance_on_every_read_and_from_every_thread()
    {
        var e = Single(Envelope($$$"""{"field":"messages","value":{"messages":[{{{Text("wamid.LAZY")}}}]}}"""));

        var seen = new WabaEvent[8].Select(_ => Task.Run(() => e.Payload)).Select(t => t.Result).ToList();

        var text = Assert.IsType<TextMessage>(e.Payload);
        Assert.All(seen, p => Assert.Same(text, p));
        Assert.Equal("wamid.LAZY", text.Wamid);
        Assert.Null(e.PayloadError);
    }

    [Fact]
    public void A_malformed_status_and_malformed_errors_split_and_read_as_unparsed()
    {
        var result = DeliverySplitter.Split(Encoding.UTF8.GetBytes(Envelope("""
            {"field":"messages","value":{"statuses":[{"id":"wamid.S","status":"read","timestamp":"1767261700","pricing":"x"}],
             "errors":[{"code":{"not":"a number"}}]}}
            """)), 1);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(["statuses.read", "messages.errors"], result.Events.Select(e => e.Type));
        Assert.Equal("status:wamid.S:read", result.Events[0].Id);
        Assert.All(result.Events, e =>
        {
            var unparsed = Assert.IsType<UnparsedPayload>(e.Payload);
            Assert.Equal(unparsed.Error, e.PayloadError);
        });
    }

    [Fact]
    public void A_malformed_message_still_occurs_at_its_own_readable_timestamp()
    {
        var e = Single(Envelope("""{"field":"messages","value":{"messages":[{"id":"wamid.T","timestamp":"1767261601","type":"text","text":{"body":[]}}]}}"""));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767261601), e.OccurredAt);
        Assert.NotNull(e.PayloadError);
    }

    [Fact]
    public void Items_whose_id_or_status_is_null_are_keyed_by_hash_instead_of_failing_the_split()
    {
        var result = DeliverySplitter.Split(Encoding.UTF8.GetBytes(Envelope("""
            {"field":"messages","value":{"messages":[{"id":null,"type":"text","text":{"body":"x"}}],
             "statuses":[{"id":"wamid.S","status":null}]}}
            """)), 1);

        Assert.True(result.IsSuccess, result.Error);
        Assert.All(result.Events, e => Assert.StartsWith("sha256:", e.Id, StringComparison.Ordinal));
        Assert.Equal(["messages.text", "statuses.unknown"], result.Events.Select(e => e.Type));
    }

    [Fact]
    public void Messages_precede_statuses_and_a_value_read_before_its_field_is_still_split()
    {
        var result = DeliverySplitter.Split(Encoding.UTF8.GetBytes("""
            {"object":"whatsapp_business_account","entry":[{"changes":[
              {"value":{"statuses":[{"id":"wamid.S","status":"sent"}],"messages":[{"id":"wamid.M","type":"interactive","interactive":{"type":"list_reply"}}]},"field":"messages"},
              {"field":"account_update","value":{"messages":[{"id":"wamid.X","type":"text"}]},"field":"messages"}],"id":"9"}]}
            """), 1);

        Assert.True(result.IsSuccess, result.Error);
        Assert.Equal(["msg:wamid.M", "status:wamid.S:sent", "msg:wamid.X"], result.Events.Select(e => e.Id));
        Assert.Equal(["messages.interactive.list_reply", "statuses.sent", "messages.text"], result.Events.Select(e => e.Type));
        Assert.All(result.Events, e => Assert.Equal("9", e.WabaId));
    }

    [Fact]
    public void Escaped_ids_give_the_same_keys_as_plain_ones()
    {
        var plain = Single(Envelope($$$"""{"field":"messages","value":{"statuses":[{{{Status("wamid.E", "read", "4471")}}}]}}"""));
        var escaped = Single(Envelope("""{"field":"messages","value":{"statuses":[{"id":"wamid\u002EE","status":"re\u0061d","recipient_participant_id":"\u0034471"}]}}"""));

        Assert.Equal(plain.Id, escaped.Id);
        Assert.Equal("statuses.read", escaped.Type);
    }

    private static WabaEvent Single(string body)
    {
        var result = DeliverySplitter.Split(Encoding.UTF8.GetBytes(body), 1);
        Assert.True(result.IsSuccess, result.Error);
        return Assert.Single(result.Events);
    }
}
