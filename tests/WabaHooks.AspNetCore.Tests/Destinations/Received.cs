using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WabaHooks.Events;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

/// <summary>What a destination received, read the way a receiver would: signatures checked with the BCL's HMAC alone.</summary>
internal static class Received
{
    public const string MetaSecret = "destination-meta-secret";

    // 32 bytes, base64: a Standard Webhooks secret.
    public const string EventSecret = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    /// <summary>Whether the request carries Meta's signature over its exact body under <see cref="MetaSecret"/>.</summary>
    public static bool HasValidHubSignature(ReceivedRequest request, string secret = MetaSecret)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body));
        return request.Header("X-Hub-Signature-256") == expected;
    }

    /// <summary>Whether the Standard Webhooks headers verify: base64 HMAC-SHA256 of <c>id.timestamp.body</c> under the decoded secret.</summary>
    public static bool HasValidStandardSignature(ReceivedRequest request, string secret = EventSecret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Header("webhook-signature")?.Split(' ').Contains(expected) == true;
    }

    /// <summary>The idempotency keys in a Meta-format request: its envelope split as the gateway would split Meta's.</summary>
    public static IEnumerable<string> KeysInEnvelope(ReceivedRequest request) =>
        DeliverySplitter.Split(request.Body, 0).Events.Select(e => e.Id);

    /// <summary>The idempotency key of an event-format request, from its body (and checked against <c>webhook-id</c>).</summary>
    public static string KeyOfEvent(ReceivedRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        var id = document.RootElement.GetProperty("data").GetProperty("id").GetString()!;
        Assert.Equal(id, request.Header("webhook-id"));
        return id;
    }

    /// <summary>The keys a destination has, counting only 2xx answers: what a receiver that dedupes on the key keeps.</summary>
    public static IEnumerable<string> Accepted(DestinationServer server, bool meta) =>
        server.Received.Where(r => r.Status is >= 200 and < 300).SelectMany(r => meta ? KeysInEnvelope(r) : [KeyOfEvent(r)]);
}
