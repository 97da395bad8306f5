using System.Text;
using WabaHooks.Events;
using WabaHooks.Destinations;

namespace WabaHooks.Tests.Forwarding;

/// <summary>Shapes Meta does not send are narrowed the way the splitter reads them.</summary>
public sealed class MetaEnvelopeOddShapeTests
{
    private const string Status = """{"id":"wamid.S1","status":"read","timestamp":"1767261603","recipient_id":"441"}""";
    private const string Other = """{"id":"wamid.S2","status":"sent","timestamp":"1767261604","recipient_id":"441"}""";

    [Fact]
    public void A_messages_property_that_is_not_an_array_goes_with_the_whole_change_event()
    {
        var body = Encoding.UTF8.GetBytes(Delivery($$$"""{"field":"messages","value":{"messages":{"odd":true},"statuses":[{{{Status}}},{{{Other}}}]}}"""));
        var all = MetaEnvelopeTests.Split(body);
        Assert.Equal([WabaEventKind.Status, WabaEventKind.Status, WabaEventKind.Change], all.Select(e => e.Kind));

        var narrowed = Narrow(body, all, all[0]);

        Assert.Equal(Delivery($$$"""{"field":"messages","value":{"statuses":[{{{Status}}}]}}"""), narrowed);
        Assert.Equal(["status:wamid.S1:read"], Split(narrowed).Select(e => e.Id));
    }

    [Fact]
    public void A_rebuilt_change_keeps_only_its_last_value()
    {
        var body = Encoding.UTF8.GetBytes(Delivery($$$"""{"value":{"statuses":[{{{Other}}}]},"field":"messages","value":{"statuses":[{{{Status}}},{{{Other}}}]}}"""));
        var all = MetaEnvelopeTests.Split(body);

        var narrowed = Narrow(body, all, all[0]);

        Assert.Equal(Delivery($$$"""{"field":"messages","value":{"statuses":[{{{Status}}}]}}"""), narrowed);
    }

    [Fact]
    public void An_escaped_property_name_is_written_as_its_text()
    {
        var body = Encoding.UTF8.GetBytes(Delivery($$$"""{"field":"messages","value":{"met\u0061data":{"phone_number_id":"P1"},"statuses":[{{{Status}}},{{{Other}}}]}}"""));
        var all = MetaEnvelopeTests.Split(body);

        var narrowed = Narrow(body, all, all[1]);

        Assert.Equal(Delivery($$$"""{"field":"messages","value":{"metadata":{"phone_number_id":"P1"},"statuses":[{{{Other}}}]}}"""), narrowed);
        Assert.Equal("P1", Assert.Single(Split(narrowed)).PhoneNumberId);
    }

    [Theory]
    [InlineData("messaging_product\\ud83d", "messaging_product\\\\ud83d")]
    [InlineData("x\\udc00", "x\\\\udc00")]
    [InlineData("x\\u0041\\ud800", "x\\\\u0041\\\\ud800")]
    public void A_property_name_with_a_lone_surrogate_escape_is_written_as_the_text_of_its_bytes(string name, string written)
    {
        // Found by the pipeline fuzzer (seed 1, case 5622): the narrower threw InvalidOperationException unescaping it,
        // so the destination dead-lettered every event of the delivery.
        var body = Encoding.UTF8.GetBytes(Delivery($$$"""{"field":"messages","value":{"{{{name}}}":"whatsapp","statuses":[{{{Status}}},{{{Other}}}]}}"""));
        var all = MetaEnvelopeTests.Split(body);

        var narrowed = Narrow(body, all, all[1]);

        Assert.Equal(Delivery($$$"""{"field":"messages","value":{"{{{written}}}":"whatsapp","statuses":[{{{Other}}}]}}"""), narrowed);
        Assert.Equal(["status:wamid.S2:sent"], Split(narrowed).Select(e => e.Id));
    }

    [Fact]
    public void A_property_name_with_a_surrogate_pair_escape_is_written_as_its_text()
    {
        var body = Encoding.UTF8.GetBytes(Delivery($$$"""{"field":"messages","value":{"x\ud83d\ude00":1,"statuses":[{{{Status}}},{{{Other}}}]}}"""));
        var all = MetaEnvelopeTests.Split(body);

        var narrowed = Narrow(body, all, all[1]);

        // The writer may escape the pair its own way; the name read back is the same text.
        using var document = System.Text.Json.JsonDocument.Parse(narrowed);
        var value = document.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value");
        Assert.Equal(["x😀", "statuses"], value.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["status:wamid.S2:sent"], Split(narrowed).Select(e => e.Id));
    }

    [Fact]
    public void A_change_with_no_value_is_kept_or_left_out_like_any_other()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update"},{"field":"security","value":{"event":"PIN_CHANGED"}}]}]}
            """);
        var all = MetaEnvelopeTests.Split(body);

        Assert.Equal(
            """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update"}]}]}""",
            Encoding.UTF8.GetString(MetaEnvelope.Narrow(body, all, [all[0]]).Span));
        Assert.Equal(
            """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"security","value":{"event":"PIN_CHANGED"}}]}]}""",
            Encoding.UTF8.GetString(MetaEnvelope.Narrow(body, all, [all[1]]).Span));
    }

    private static string Delivery(string change) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{{{change}}}]}]}""";

    private static string Narrow(byte[] body, IReadOnlyList<WabaEvent> all, WabaEvent keep) =>
        Encoding.UTF8.GetString(MetaEnvelope.Narrow(body, all, [keep]).Span);

    private static IReadOnlyList<WabaEvent> Split(string body) => MetaEnvelopeTests.Split(Encoding.UTF8.GetBytes(body));
}
