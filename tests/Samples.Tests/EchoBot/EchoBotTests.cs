using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.Events;
using WabaHooks.Signatures;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Graph;

namespace EchoBot.Tests;

public sealed class EchoBotTests : IAsyncLifetime
{
    private const string AccessToken = GraphStub.AccessToken;
    private const string AppSecret = "echo-bot-test-app-secret";
    private readonly TempDirectory _dir = new();
    private GraphStub _graph = null!;
    private WebApplication _bot = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _graph = await GraphStub.StartAsync(TestContext.Current.CancellationToken);
        _bot = EchoBotApp.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--GraphBaseUrl={_graph.BaseUrl}",
            "--GraphVersion=v24.0",
            $"--AccessToken={AccessToken}",
            "--VerifyToken=echo-verify-token",
            $"--AppSecret={AppSecret}",
            $"--DataDir={_dir.Path}",
        ]);
        await _bot.StartAsync(TestContext.Current.CancellationToken);
        var address = _bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
    }

    [Fact]
    public async Task An_inbound_text_is_echoed_through_the_Graph_API_messages_endpoint_as_a_reply()
    {
        var body = ExamplePayloads.Read("messages-text.json");
        var value = JsonNode.Parse(body)!["entry"]![0]!["changes"]![0]!["value"]!;
        var message = value["messages"]![0]!;

        await PostSignedAsync(body);
        await _graph.WaitForRequestsAsync(1);

        var request = Assert.Single(_graph.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v24.0/{(string)value["metadata"]!["phone_number_id"]!}/messages", request.Path);
        Assert.Equal($"Bearer {AccessToken}", request.Authorization);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var expected = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = (string)message["from"]!,
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = "Echo: " + (string)message["text"]!["body"]! },
            ["context"] = new JsonObject { ["message_id"] = (string)message["id"]! },
        };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.Body)), $"sent {request.Body}");
    }

    [Fact]
    public async Task A_status_delivery_sends_nothing()
    {
        var status = ExamplePayloads.Read("messages-status-delivered.json");
        var text = ExamplePayloads.Read("messages-text.json");
        await PostSignedAsync(status);
        await PostSignedAsync(text);

        // The echo's work is scheduled in the transaction that stores its event: once both events are stored and the
        // echo has no work pending, the store says every call to the Graph API there will be.
        var events = _bot.Services.GetRequiredService<IEventStore>();
        var work = _bot.Services.GetRequiredService<ISinkWorkStore>();
        var statusId = DeliverySplitter.Split(status, 0).Events.Single().Id;
        var textId = DeliverySplitter.Split(text, 0).Events.Single().Id;
        await Await.UntilAsync(
            async () => await events.GetEventAsync(statusId, Ct) is not null
                && await events.GetEventAsync(textId, Ct) is not null
                && (await work.GetBacklogAsync(Ct)).SingleOrDefault(b => b.Sink == EchoBotApp.HandlerName) is { Pending: 0 },
            "both events stored and the echo's work done");

        var echo = Assert.Single(await work.GetBacklogAsync(Ct));
        Assert.Equal((EchoBotApp.HandlerName, 1L, 0L), (echo.Sink, echo.Done, echo.Dead));
        Assert.True(Assert.Single(await work.ListAttemptsAsync(textId, EchoBotApp.HandlerName, Ct)).Succeeded);
        var request = Assert.Single(_graph.Requests);
        Assert.StartsWith("Echo: ", request.Json().GetProperty("text").GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    private async Task PostSignedAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, AppSecret));
        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_bot is not null)
        {
            await _bot.StopAsync(CancellationToken.None);
            await _bot.DisposeAsync();
        }

        if (_graph is not null)
        {
            await _graph.DisposeAsync();
        }

        _dir.Dispose();
    }
}
