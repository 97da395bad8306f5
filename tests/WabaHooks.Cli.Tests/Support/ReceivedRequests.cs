using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.Cli.Tests.Support;

/// <summary>What a destination received, read the way a receiver would: signatures checked with the BCL's HMAC alone.</summary>
internal static class ReceivedRequests
{
    /// <summary>Whether the request carries Meta's signature over its exact body under <paramref name="secret"/>.</summary>
    public static bool HasValidHubSignature(this ReceivedRequest request, string secret = DestinationConfig.MetaSecret)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body));
        return request.Header("X-Hub-Signature-256") == expected;
    }

    /// <summary>Whether the Standard Webhooks headers verify: base64 HMAC-SHA256 of <c>id.timestamp.body</c> under the decoded secret.</summary>
    public static bool HasValidStandardSignature(this ReceivedRequest request, string secret = DestinationConfig.EventSecret)
    {
        if (request.Header("webhook-id") is not { Length: > 0 } id || request.Header("webhook-timestamp") is not { Length: > 0 } timestamp)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Header("webhook-signature")?.Split(' ').Contains(expected) == true;
    }

    /// <summary>The idempotency keys in a Meta-format request: its envelope split as the gateway splits Meta's.</summary>
    public static IReadOnlyList<string> KeysInEnvelope(this ReceivedRequest request) =>
        [.. DeliverySplitter.Split(request.Body, 0).Events.Select(e => e.Id)];

    /// <summary>The idempotency key of an event-format request: <c>data.id</c>, checked against <c>webhook-id</c>.</summary>
    public static string KeyOfEvent(this ReceivedRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        var id = document.RootElement.GetProperty("data").GetProperty("id").GetString()!;
        Assert.Equal(id, request.Header("webhook-id"));
        return id;
    }

    /// <summary>The <c>type</c> of an event-format request.</summary>
    public static string TypeOfEvent(this ReceivedRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.GetProperty("type").GetString()!;
    }

    /// <summary>The keys a destination took (2xx answers only), once per request that carried them.</summary>
    public static IReadOnlyList<string> AcceptedKeys(this DestinationServer server, bool meta) =>
        [.. server.Received.Where(r => r.Status is >= 200 and < 300).SelectMany(r => meta ? r.KeysInEnvelope() : [r.KeyOfEvent()])];

    /// <summary>How many accepted requests carried <paramref name="key"/>.</summary>
    public static int TimesAccepted(this DestinationServer server, string key, bool meta) => server.AcceptedKeys(meta).Count(k => k == key);
}
