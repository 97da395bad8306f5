using System.Text.Json;
using System.Text.Json.Nodes;

namespace WabaHooks.Cli.Tests.Support;

/// <summary>
/// Destinations as a <c>--config</c> file holds them, with quick retries and short pauses so a failure resolves within
/// a second, and secrets that a test can look for in every output.
/// </summary>
internal static class DestinationConfig
{
    /// <summary>The secret of every <c>meta</c> destination: what X-Hub-Signature-256 is computed with.</summary>
    public const string MetaSecret = "meta-destination-secret-5e1d";

    /// <summary>The secret of every <c>event</c> destination: <c>whsec_</c> + base64 of 32 bytes.</summary>
    public const string EventSecret = "whsec_ZGVzdGluYXRpb24tc2VjcmV0LTMyLWJ5dGVzLWxvbmc=";

    public static JsonObject Meta(string name, Uri url, params string[] types) => Create(name, url, "meta", MetaSecret, types);

    public static JsonObject Event(string name, Uri url, params string[] types) => Create(name, url, "event", EventSecret, types);

    /// <summary>Writes <c>{"WabaHooks":{"Destinations":[…]}}</c> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<JsonObject> destinations)
    {
        var root = new JsonObject { ["WabaHooks"] = new JsonObject { ["Destinations"] = new JsonArray([.. destinations]) } };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Whether <paramref name="output"/> shows any destination secret, whole or the key inside the event one.</summary>
    public static void AssertNoSecretIn(string output)
    {
        Assert.DoesNotContain(MetaSecret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(EventSecret["whsec_".Length..], output, StringComparison.Ordinal);
    }

    private static JsonObject Create(string name, Uri url, string format, string secret, string[] types)
    {
        var destination = new JsonObject
        {
            ["Name"] = name,
            ["Url"] = url.ToString(),
            ["Format"] = format,
            ["Secret"] = secret,
            ["Timeout"] = 5,
            ["Retry"] = new JsonObject { ["BaseDelay"] = "00:00:00.050", ["MaxDelay"] = "00:00:00.300" },
            ["CircuitBreaker"] = new JsonObject { ["FailureThreshold"] = 3, ["BreakDuration"] = "00:00:00.500", ["MaxBreakDuration"] = "00:00:01" },
        };
        if (types.Length > 0)
        {
            destination["Types"] = new JsonArray([.. types.Select(t => (JsonNode)t)]);
        }

        return destination;
    }
}
