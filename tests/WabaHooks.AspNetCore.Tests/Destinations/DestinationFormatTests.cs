using System.Text.Json;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;

namespace WabaHooks.AspNetCore.Tests.Destinations;

public sealed class DestinationFormatTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_meta_destination_gets_the_delivery_bytes_as_meta_sent_them_signed_with_its_own_secret()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Meta("crm", server));
        var body = ExamplePayloads.Read("messages-batched-mixed.json");

        await gateway.PostAsync(body);
        await server.WaitUntilAsync(r => r.Count >= 1, Bound, "the forwarded delivery");

        var request = Assert.Single(server.Received);
        Assert.Equal(body, request.Body);
        Assert.True(Received.HasValidHubSignature(request));
        Assert.False(Received.HasValidHubSignature(request, TestGateway.SecretA), "the destination's secret, not the app secret, signs the forward");
        Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_destination_gets_one_request_per_event_with_standard_webhooks_headers_that_verify()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Event("analytics", server));
        var body = ExamplePayloads.Read("messages-batched-mixed.json");
        var expected = ExpectedEvents.TypesOf(body);

        await gateway.PostAsync(body);
        await server.WaitUntilAsync(r => r.Count >= expected.Count, Bound, "one request per event");

        var received = server.Received;
        Assert.Equal(expected.Count, received.Count);
        var stored = await gateway.Store.ListEventsAsync(new Storage.EventQuery { Limit = 100 }, TestContext.Current.CancellationToken);
        foreach (var request in received)
        {
            Assert.True(Received.HasValidStandardSignature(request), $"signature of {request.Header("webhook-id")}");
            var timestamp = long.Parse(request.Header("webhook-timestamp")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());

            var key = Received.KeyOfEvent(request);
            var e = Assert.Single(stored, s => s.Id == key);
            using var json = JsonDocument.Parse(request.Body);
            Assert.Equal(e.Type, json.RootElement.GetProperty("type").GetString());
            var payload = json.RootElement.GetProperty("data").GetProperty("payload");
            Assert.Equal(e.RawJson.ToArray(), System.Text.Encoding.UTF8.GetBytes(payload.GetRawText()));
        }

        Assert.Equal(expected.Order(), received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()!).Order());
    }

    [Fact]
    public async Task A_meta_destination_that_wants_part_of_a_delivery_gets_an_envelope_narrowed_to_those_items()
    {
        using var dir = new TempDirectory();
        await using var server = await DestinationServer.StartAsync();
        await using var gateway = await Destinations.StartGatewayAsync(dir.Path, Destinations.Meta("statuses", server, d => d.Types.Add("statuses.*")));
        var body = ExamplePayloads.Read("messages-batched-mixed.json");
        var statuses = Events.DeliverySplitter.Split(body, 0).Events.Where(e => e.Type.StartsWith("statuses.", StringComparison.Ordinal)).Select(e => e.Id).ToList();
        Assert.NotEmpty(statuses);

        await gateway.PostAsync(body);
        await server.WaitUntilAsync(r => r.SelectMany(Received.KeysInEnvelope).Count() >= statuses.Count, Bound, "the statuses");

        Assert.All(server.Received, r => Assert.True(Received.HasValidHubSignature(r)));
        Assert.Equal(statuses.Order(), server.Received.SelectMany(Received.KeysInEnvelope).Order());
        Assert.All(server.Received, r => Assert.DoesNotContain("\"messages\":[", System.Text.Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));
    }
}
