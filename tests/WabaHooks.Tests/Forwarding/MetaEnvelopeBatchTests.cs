using System.Text;
using WabaHooks.Events;
using WabaHooks.Destinations;

namespace WabaHooks.Tests.Forwarding;

/// <summary>
/// One delivery for two WABAs: a messages change with messages, statuses, value-level errors and a property Meta may
/// add later, an account_update change, and a second WABA's status. Written indented, so the output shows which parts
/// are rebuilt (compact) and which are copied (their own spacing kept).
/// </summary>
public sealed class MetaEnvelopeBatchTests
{
    // Indented: a part copied whole keeps this spacing, a rebuilt one is compact around the values it copies.
    private const string MessagesChange = """
        {
          "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001", "phone_number_id": "P1"},
            "contacts": [{"profile": {"name": "Ann"}, "wa_id": "441"}],
            "messages": [
              {"from": "441", "id": "wamid.A1", "timestamp": "1767261601", "type": "text", "text": {"body": "one"}},
              {"from": "441", "id": "wamid.A2", "timestamp": "1767261602", "type": "text", "text": {"body": "caf\u00e9"}}
            ],
            "statuses": [
              {"id": "wamid.S1", "status": "read", "timestamp": "1767261603", "recipient_id": "441"}
            ],
            "errors": [{"code": 131000, "title": "Something went wrong"}],
            "future_property": {"kept": true}
          },
          "field": "messages"
        }
        """;

    private const string Entry1 = "{\"id\": \"1001\", \"time\": 1767261600, \"changes\": [\n" + MessagesChange + ",\n" + AccountUpdate + "\n]}";

    private const string Entry2 =
        """{"id": "2002", "time": 1767261700, "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550002", "phone_number_id": "P2"}, "statuses": [""" + S2 + "]}}]}";

    private const string Body = "{\n  \"object\": \"whatsapp_business_account\",\n  \"entry\": [\n    " + Entry1 + ",\n    " + Entry2 + "\n  ]\n}\n";

    private const string A1 = """{"from": "441", "id": "wamid.A1", "timestamp": "1767261601", "type": "text", "text": {"body": "one"}}""";
    private const string A2 = """{"from": "441", "id": "wamid.A2", "timestamp": "1767261602", "type": "text", "text": {"body": "caf\u00e9"}}""";
    private const string S1 = """{"id": "wamid.S1", "status": "read", "timestamp": "1767261603", "recipient_id": "441"}""";
    private const string S2 = """{"id": "wamid.S2", "status": "delivered", "timestamp": "1767261701", "recipient_id": "442"}""";
    private const string Errors = """[{"code": 131000, "title": "Something went wrong"}]""";

    private const string Root = """{"object":"whatsapp_business_account","entry":[""";
    private const string Waba1 = """{"id":"1001","time":1767261600,"changes":[""";
    private const string Value1 =
        """{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number": "15550001", "phone_number_id": "P1"},"contacts":[{"profile": {"name": "Ann"}, "wa_id": "441"}],""";
    private const string Value1End = "\"future_property\":{\"kept\": true}},\"field\":\"messages\"}";
    private const string AccountUpdate = """{"value": {"event": "ACCOUNT_DELETED"}, "field": "account_update"}""";
    public static TheoryData<string, string> Narrowings() => new()
    {
        {
            "msg:wamid.A2",
            Root + Waba1 + Value1 + "\"messages\":[" + A2 + "]," + Value1End + "]}]}"
        },
        {
            "status:wamid.S1:read status:wamid.S2:delivered",
            Root + Waba1 + Value1 + "\"statuses\":[" + S1 + "]," + Value1End + "]}," + Entry2 + "]}"
        },
        {
            "messages.errors",
            Root + Waba1 + Value1 + "\"errors\":" + Errors + "," + Value1End + "]}]}"
        },
        {
            "account_update",
            Root + Waba1 + AccountUpdate + "]}]}"
        },
        {
            "msg:wamid.A1 account_update status:wamid.S2:delivered",
            Root + Waba1 + Value1 + "\"messages\":[" + A1 + "]," + Value1End + "," + AccountUpdate + "]}," + Entry2 + "]}"
        },
        {
            "msg:wamid.A1 msg:wamid.A2 status:wamid.S1:read messages.errors account_update",
            Root + Entry1 + "]}"
        },
        {
            "msg:wamid.A1 msg:wamid.A2 status:wamid.S1:read messages.errors status:wamid.S2:delivered",
            Root + Waba1 + MessagesChange + "]}," + Entry2 + "]}"
        },
    };

    [Theory]
    [MemberData(nameof(Narrowings))]
    public void A_batch_narrowed_writes_exactly_the_kept_parts(string keep, string expected)
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var all = MetaEnvelopeTests.Split(body);

        var narrowed = MetaEnvelope.Narrow(body, all, Pick(all, keep));

        Assert.Equal(expected, Encoding.UTF8.GetString(narrowed.Span));
    }

    [Theory]
    [MemberData(nameof(Narrowings))]
    public void A_batch_narrowed_splits_into_the_kept_types_in_order(string keep, string expected)
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var all = MetaEnvelopeTests.Split(body);
        var kept = Pick(all, keep);

        var again = MetaEnvelopeTests.Split(Encoding.UTF8.GetBytes(expected));

        Assert.Equal(kept.Select(e => (e.Type, e.WabaId)), again.Select(e => (e.Type, e.WabaId)));
        Assert.Equal(
            kept.Where(e => e.Kind != WabaEventKind.Errors).Select(e => e.Id),
            again.Where(e => e.Kind != WabaEventKind.Errors).Select(e => e.Id));
    }

    [Fact]
    public void The_batch_splits_into_the_events_the_narrowings_name()
    {
        var all = MetaEnvelopeTests.Split(Encoding.UTF8.GetBytes(Body));

        Assert.Equal(
            ["messages.text", "messages.text", "statuses.read", "messages.errors", "account_update", "statuses.delivered"],
            all.Select(e => e.Type));
    }

    [Fact]
    public void A_kept_errors_event_whose_value_lost_items_keeps_its_errors_but_not_its_id()
    {
        // The errors event stands for the whole value, so its raw JSON and hashed ID follow the narrowed value.
        var body = Encoding.UTF8.GetBytes(Body);
        var all = MetaEnvelopeTests.Split(body);
        var errors = Assert.Single(all, e => e.Kind == WabaEventKind.Errors);

        var again = Assert.Single(MetaEnvelopeTests.Split(MetaEnvelope.Narrow(body, all, [errors])));

        Assert.Equal(WabaEventKind.Errors, again.Kind);
        Assert.NotEqual(errors.Id, again.Id);
        Assert.Contains("\"errors\":" + Errors, again.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("wamid.", again.GetRawText(), StringComparison.Ordinal);
    }

    private static WabaEvent[] Pick(IReadOnlyList<WabaEvent> all, string keep)
    {
        var names = keep.Split(' ');
        var picked = all.Where(e => names.Contains(e.Id) || names.Contains(e.Type)).ToArray();
        Assert.Equal(names.Length, picked.Length);
        return picked;
    }
}
