using System.Text;
using System.Text.Json.Nodes;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Handlers;

/// <summary>Example payloads, and what the tests expect of them read straight from their JSON.</summary>
internal static class Payload
{
    public static byte[] Read(string name) => ExamplePayloads.Read(name);

    public static JsonNode Value(byte[] body) => JsonNode.Parse(body)!["entry"]![0]!["changes"]![0]!["value"]!;

    public static JsonNode FirstMessage(byte[] body) => Value(body)["messages"]![0]!;

    /// <summary>The idempotency key of the first message: its wamid, in the <c>msg:</c> namespace.</summary>
    public static string MessageKey(byte[] body) => "msg:" + (string)FirstMessage(body)["id"]!;

    /// <summary>The same notification with another wamid: a different message, not a redelivery.</summary>
    public static byte[] WithWamid(string name, string wamid)
    {
        var root = JsonNode.Parse(Read(name))!;
        root["entry"]![0]!["changes"]![0]!["value"]!["messages"]![0]!["id"] = wamid;
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
