using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Testing;

namespace WabaHooks.Tests.Inbox;

public sealed class DeliveryClassifierTests
{
    [Theory]
    [MemberData(nameof(ExamplePayloads.All), MemberType = typeof(ExamplePayloads))]
    public void Every_example_payload_is_a_whatsapp_notification(string name)
    {
        Assert.Equal(DeliveryFlags.None, DeliveryClassifier.Classify(ExamplePayloads.Read(name)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"object\":\"whatsapp_business_account\",")]
    [InlineData("{\"object\":\"whatsapp_business_account\"} trailing")]
    public void Malformed_json_is_flagged_not_json(string body)
    {
        Assert.Equal(DeliveryFlags.NotJson, DeliveryClassifier.Classify(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("{\"object\":\"page\",\"entry\":[]}")]
    [InlineData("{\"entry\":[]}")]
    [InlineData("[1,2,3]")]
    [InlineData("\"whatsapp_business_account\"")]
    [InlineData("{\"nested\":{\"object\":\"whatsapp_business_account\"}}")]
    public void Json_that_is_not_a_whatsapp_envelope_is_flagged_unexpected_object(string body)
    {
        Assert.Equal(DeliveryFlags.UnexpectedObject, DeliveryClassifier.Classify(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("{\"\\ud800\":1,\"object\":\"whatsapp_business_account\",\"entry\":[]}", DeliveryFlags.InvalidUnicode)]
    [InlineData("{\"object\":\"whatsapp_business_account\\ud800\",\"entry\":[]}", DeliveryFlags.InvalidUnicode | DeliveryFlags.UnexpectedObject)]
    [InlineData("{\"obj\\u0065ct\\udc00\":\"whatsapp_business_account\"}", DeliveryFlags.InvalidUnicode | DeliveryFlags.UnexpectedObject)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"10987654321\\ud800\"}]}", DeliveryFlags.InvalidUnicode)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"x\\ud83d\"}]}", DeliveryFlags.InvalidUnicode)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\\udc00\"}]}]}", DeliveryFlags.InvalidUnicode)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"t\":\"\\ud83d\\ud83d\\ude00\"}", DeliveryFlags.InvalidUnicode)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"t\":\"\\ude00\\ud83d\"}", DeliveryFlags.InvalidUnicode)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"t\":\"\\ud83d\\n\"}", DeliveryFlags.InvalidUnicode)]
    [InlineData("\"\\ud800\"", DeliveryFlags.InvalidUnicode | DeliveryFlags.UnexpectedObject)]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"t\":\"\\ud800", DeliveryFlags.NotJson)]
    public void A_lone_surrogate_escape_is_flagged_invalid_unicode_and_never_throws(string body, DeliveryFlags expected)
    {
        Assert.Equal(expected, DeliveryClassifier.Classify(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"t\":\"\\ud83d\\ude00 \\u00e9 \\\\ud800 \\\"\"}")]
    [InlineData("{\"obj\\u0065ct\":\"whatsapp_business_\\u0061ccount\"}")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"t\":\"\\uD83D\\uDE00\"}")]
    public void Surrogate_pairs_and_other_escapes_are_valid(string body)
    {
        Assert.Equal(DeliveryFlags.None, DeliveryClassifier.Classify(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_flagged_and_the_delivery_is_still_a_notification()
    {
        var text = ExamplePayloads.Read("messages-text.json");
        var id = Encoding.UTF8.GetBytes("\"id\": \"");
        var at = text.AsSpan().IndexOf(id) + id.Length;
        byte[] body = [.. text[..at], 0xa7, .. text[at..]];

        Assert.Equal(DeliveryFlags.InvalidUnicode, DeliveryClassifier.Classify(body));
    }

    [Theory]
    [InlineData(new byte[] { 0xa7 })]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { 0xef, 0xbb, 0xbf, (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xed, 0xa0, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'1', 0xc3, (byte)'}' })]
    public void Raw_bytes_that_are_not_utf8_never_throw(byte[] body)
    {
        var flags = DeliveryClassifier.Classify(body);

        Assert.True(flags.HasFlag(DeliveryFlags.InvalidUnicode) || body.AsSpan().StartsWith((byte[])[0xef, 0xbb, 0xbf]));
        Assert.NotEqual(DeliveryFlags.None, flags);
    }

    [Fact]
    public void Every_mutation_of_an_example_payload_classifies_without_throwing()
    {
        // Not the fuzzer of the whole pipeline, only the classifier's share: every byte of a payload set in turn to
        // each value that has a role in JSON or UTF-8, and every prefix.
        var text = ExamplePayloads.Read("messages-text.json");
        byte[] values = [0x00, (byte)'"', (byte)'\\', (byte)'u', (byte)'{', (byte)'}', (byte)'[', (byte)',', (byte)':', 0x7f, 0x80, 0xa7, 0xc0, 0xed, 0xf4, 0xff];
        var body = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            text.CopyTo(body, 0);
            foreach (var value in values)
            {
                body[i] = value;
                _ = DeliveryClassifier.Classify(body);
            }

            _ = DeliveryClassifier.Classify(text.AsSpan(0, i));
        }
    }

    [Theory]
    [InlineData("\\ud800", true)]
    [InlineData("\\udfff", true)]
    [InlineData("a\\ud83d\\ude00b", false)]
    [InlineData("\\ud83d\\u0041", true)]
    [InlineData("\\ud83d\\\\ude00", true)]
    [InlineData("\\\\ud800", false)]
    [InlineData("\\n\\t\\u0041", false)]
    [InlineData("\\ud83d", true)]
    public void Lone_surrogate_escapes_are_found_in_raw_string_bytes(string raw, bool expected)
    {
        Assert.Equal(expected, DeliveryClassifier.HasLoneSurrogateEscape(Encoding.UTF8.GetBytes(raw)));
    }
}
