using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.AspNetCore.Tests.Handlers;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Admin;

public sealed class AdminStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_live_stream_sends_new_filtered_events_and_resumes_after_the_last_event_id()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var client = AdminGateway.Client(gateway, AdminGateway.ViewerToken);
        await gateway.PostAsync(Payload.WithWamid("messages-text.json", "wamid.before"));
        await AdminGateway.ProcessedAsync(gateway, 1);

        string lastId;
        await using (var stream = await SseStream.OpenAsync(client, "/admin/api/stream?type=messages.text", null))
        {
            Assert.Equal("ready", (await stream.NextAsync()).Event);
            await gateway.PostAsync(ExamplePayloads.Read("messages-status-read.json")); // Filtered out.
            await gateway.PostAsync(Payload.WithWamid("messages-text.json", "wamid.live1"));
            var live = await stream.NextAsync();
            Assert.Equal("event", live.Event);
            Assert.Equal("msg:wamid.live1", live.Data.GetProperty("event").GetProperty("id").GetString());
            lastId = live.Id;
        }

        // Disconnected: what is stored meanwhile comes on resuming, and nothing sent before comes again.
        await gateway.PostAsync(Payload.WithWamid("messages-text.json", "wamid.missed"));
        await AdminGateway.ProcessedAsync(gateway, 4);
        await using var resumed = await SseStream.OpenAsync(client, "/admin/api/stream?type=messages.text", lastId);
        Assert.Equal("ready", (await resumed.NextAsync()).Event);
        var missed = await resumed.NextAsync();
        Assert.Equal("msg:wamid.missed", missed.Data.GetProperty("event").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Attempts_on_the_live_stream_are_narrowed_to_the_events_the_filter_selects()
    {
        using var dir = new TempDirectory();
        await using var server = await Testing.Destinations.DestinationServer.StartAsync();
        await using var gateway = await AdminGateway.StartAsync(dir.Path, hooks: b => b.AddDestination(Destinations.Destinations.Event("crm", server)));
        using var client = AdminGateway.Client(gateway, AdminGateway.ViewerToken);

        await using var stream = await SseStream.OpenAsync(client, "/admin/api/stream?type=messages.text", null);
        Assert.Equal("ready", (await stream.NextAsync()).Event);
        // The status goes to the destination first, so its attempt comes first in storage order: it must not be sent.
        await gateway.PostAsync(ExamplePayloads.Read("messages-status-read.json"));
        await server.WaitUntilAsync(r => r.Count == 1, Await.Bound, "the status forwarded");
        await gateway.PostAsync(Payload.WithWamid("messages-text.json", "wamid.narrowed"));

        var items = new List<(string Event, JsonElement Data)>();
        while (items.Count(i => i.Event == "attempt") == 0)
        {
            var (type, _, data) = await stream.NextAsync();
            items.Add((type, data));
        }

        Assert.Equal(["event", "attempt"], items.Select(i => i.Event));
        Assert.All(items, i => Assert.Contains("msg:wamid.narrowed", i.Data.GetRawText(), StringComparison.Ordinal));
    }

    /// <summary>Reads a text/event-stream response item by item, each read bounded.</summary>
    private sealed class SseStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private SseStream(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public static async Task<SseStream> OpenAsync(HttpClient client, string path, string? lastEventId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            response.EnsureSuccessStatusCode();
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
            return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(Ct)));
        }

        public async Task<(string Event, string Id, JsonElement Data)> NextAsync()
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bound.CancelAfter(Await.Bound);
            string? type = null, id = null, data = null;
            while (await _reader.ReadLineAsync(bound.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        return (type ?? "message", id ?? "", JsonDocument.Parse(data).RootElement.Clone());
                    }

                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                switch (field)
                {
                    case "event": type = value; break;
                    case "id": id = value; break;
                    case "data": data = data is null ? value : data + "\n" + value; break;
                }
            }

            throw new InvalidOperationException("The stream ended.");
        }

        public ValueTask DisposeAsync()
        {
            _reader.Dispose();
            _response.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
