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
}
