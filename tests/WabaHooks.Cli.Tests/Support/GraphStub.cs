using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace WabaHooks.Cli.Tests.Support;

/// <summary>
/// A stand-in for graph.facebook.com: records every request and answers the subscription endpoints with the shapes
/// Meta's reference (§5) documents, or with a queued error object. Writes change nothing: reads answer fixed data,
/// except that a test may change which apps <c>subscribed_apps</c> lists.
/// </summary>
internal sealed class GraphStub : IAsyncDisposable
{
    public const string AppId = "1234567890";
    public const string WabaId = "109876543210001";
    public const string PhoneNumberId = "118765432100002";
    public const string AppCallbackUrl = "https://hooks.example.com/webhook";
    public const string WabaOverrideUri = "https://waba.example.com/webhook";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<(int Status, string Body)> _script = new();
    private LoopbackServer? _server;

    public Uri BaseUrl => _server!.BaseUrl;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>The app ids <c>GET /{waba-id}/subscribed_apps</c> lists; a test empties it to play Meta unsubscribing.</summary>
    public IReadOnlyList<string> SubscribedAppIds { get; set; } = [AppId];

    public static async Task<GraphStub> StartAsync(CancellationToken cancellationToken)
    {
        var stub = new GraphStub();
        stub._server = await LoopbackServer.StartAsync(stub.HandleAsync, cancellationToken);
        return stub;
    }

    /// <summary>Answers the next request with Graph's error object instead.</summary>
    public void EnqueueError(int status, string message, int code, int? subcode, string fbtraceId)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = "OAuthException", ["code"] = code, ["fbtrace_id"] = fbtraceId };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }

        _script.Enqueue((status, new JsonObject { ["error"] = error }.ToJsonString()));
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
        var form = request.HasFormContentType
            ? QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var recorded = new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal),
            form,
            body,
            request.Headers.Authorization.ToString());
        _requests.Enqueue(recorded);

        var (status, answer) = _script.TryDequeue(out var scripted) ? scripted : (200, Answer(recorded).ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(answer, context.RequestAborted);
    }

    private JsonNode Answer(RecordedRequest request)
    {
        if (request.Method != "GET")
        {
            return new JsonObject { ["success"] = true };
        }

        if (request.Path.EndsWith("/subscriptions", StringComparison.Ordinal))
        {
            return JsonNode.Parse($$"""
                {"data":[{"object":"whatsapp_business_account","callback_url":"{{AppCallbackUrl}}","active":true,
                  "fields":[{"name":"messages","version":"v24.0"},{"name":"account_update","version":"v23.0"}]}]}
                """)!;
        }

        if (request.Path.EndsWith("/subscribed_apps", StringComparison.Ordinal))
        {
            var apps = new JsonArray();
            foreach (var appId in SubscribedAppIds)
            {
                apps.Add(JsonNode.Parse($$"""
                    {"whatsapp_business_api_data":{"id":"{{appId}}","name":"WabaHooks Test App","link":"https://example.com/app"},
                      "override_callback_uri":"{{WabaOverrideUri}}"}
                    """));
            }

            return new JsonObject { ["data"] = apps };
        }

        return JsonNode.Parse($$"""
            {"webhook_configuration":{"phone_number":"https://phone.example.com/webhook","whatsapp_business_account":"{{WabaOverrideUri}}","application":"{{AppCallbackUrl}}"},"id":"{{PhoneNumberId}}"}
            """)!;
    }
}

/// <summary>One request as the Graph stub received it.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    string Body,
    string Authorization);
