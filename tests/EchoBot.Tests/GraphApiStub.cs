using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EchoBot.Tests;

/// <summary>One request the stub received.</summary>
internal sealed record GraphRequest(string Method, string Path, string? Authorization, string? ContentType, JsonNode? Body);

/// <summary>
/// Stands in for the Graph API on real Kestrel at 127.0.0.1: records every request and answers a send to
/// <c>/{version}/{phone_number_id}/messages</c> as the Graph API documents.
/// </summary>
internal sealed class GraphApiStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GraphRequest> _requests = new();
    private readonly SemaphoreSlim _received = new(0);

    private GraphApiStub(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<GraphRequest> Requests => [.. _requests];

    public static async Task<GraphApiStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new GraphApiStub(app);
        app.Run(stub.AnswerAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        stub.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return stub;
    }

    /// <summary>Waits (bounded) until the stub has received <paramref name="count"/> requests in all.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        while (_requests.Count < count)
        {
            if (!await _received.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken))
            {
                throw new TimeoutException($"The Graph API stub received {_requests.Count} requests, expected {count}.");
            }
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var body = context.Request.ContentLength is 0 ? null : await JsonNode.ParseAsync(context.Request.Body);
        _requests.Enqueue(new GraphRequest(
            context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body));
        _received.Release();

        var to = (string?)body?["to"] ?? "";
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA" }),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _received.Dispose();
    }
}
