using System.Text.Json.Nodes;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.Dashboard.Tests;

/// <summary>Deliveries and destinations the dashboard tests send and configure.</summary>
internal static class TestDeliveries
{
    /// <summary>The wamid of the inbound text message in <c>messages-text.json</c>.</summary>
    public const string TextWamid = "wamid.HBgMNDQ3NzAwOTAwNDU2FQIAEhgUM0VCMDk5RkFLRTAwMDAwMD0001AA==";

    /// <summary>A <c>messages</c> delivery with <paramref name="count"/> text messages, each with its own wamid.</summary>
    public static byte[] TextMessages(int count, string tag)
    {
        var root = JsonNode.Parse(ExamplePayloads.Read("messages-text.json"))!;
        var value = root["entry"]![0]!["changes"]![0]!["value"]!;
        var template = value["messages"]![0]!;
        var messages = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var message = template.DeepClone();
            message["id"] = $"wamid.{tag}.{i:D6}";
            messages.Add(message);
        }

        value["messages"] = messages;
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>An HTTP destination to <paramref name="server"/> that retries every <paramref name="retryDelay"/> for <paramref name="window"/>.</summary>
    public static DestinationOptions Destination(string name, DestinationServer server, TimeSpan retryDelay, TimeSpan window)
    {
        var destination = new DestinationOptions
        {
            Name = name,
            Url = server.Url,
            Secret = "dashboard-destination-secret",
            Timeout = TimeSpan.FromSeconds(5),
            PollInterval = TimeSpan.FromMilliseconds(20),
        };
        destination.Retry.BaseDelay = retryDelay;
        destination.Retry.MaxDelay = retryDelay;
        destination.Retry.Window = window;
        destination.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(200);
        destination.CircuitBreaker.MaxBreakDuration = TimeSpan.FromMilliseconds(400);
        return destination;
    }
}
