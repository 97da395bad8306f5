using System.Text;
using WabaHooks.Events;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests.Support;

/// <summary>Notification bodies for tests: the shared examples, and small ones built here for what they lack.</summary>
internal static class Notifications
{
    public static byte[] Example(string name) => ExamplePayloads.Read(name);

    /// <summary>A message whose <c>type</c> the model does not know, so it reads as an <c>UnknownMessage</c>.</summary>
    public static byte[] UnknownMessage(string wamid) => Message($$$"""{"from":"447700900456","id":"{{{wamid}}}","timestamp":"1700000000","type":"request_welcome"}""");

    /// <summary>A text message whose <c>text</c> is not an object: its event is <c>messages.text</c>, its payload does not fit.</summary>
    public static byte[] MalformedText(string wamid) => Message($$$"""{"from":"447700900456","id":"{{{wamid}}}","timestamp":"1700000000","type":"text","text":"not an object"}""");

    /// <summary>A change of a field the model does not know.</summary>
    public static byte[] UnknownField(string field) => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1700000000,"changes":[{"field":"{{{field}}}","value":{"anything":1}}]}]}""");

    /// <summary>The idempotency keys of the events <paramref name="body"/> splits into, with their type names.</summary>
    public static IReadOnlyList<(string Id, string Type)> EventsOf(byte[] body) =>
        [.. DeliverySplitter.Split(body, 1).Events.Select(e => (e.Id, e.Type))];

    private static byte[] Message(string message) => Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"106540352242922"},"messages":[{{{message}}}]}}]}]}""");
}
