using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WabaHooks.Graph.Tests.Support;

/// <summary>
/// A local stand-in for graph.facebook.com on a real Kestrel server (127.0.0.1, port 0). It records every request and
/// answers the subscription endpoints as Meta's reference (§5) documents them, keeping just enough state for a read
/// to reflect earlier writes. Scripted replies, when queued, answer the next requests instead.
/// </summary>
internal sealed partial class GraphStub : IAsyncDisposable
{
    public const string AccessToken = "EAAGstubSystemUserToken0123456789abcdef";
    public const string AppId = "1234567890";
    public const string AppSecret = "0123456789abcdef0123456789abcdef";
    public const string AppAccessToken = AppId + "|" + AppSecret;
    public const string WabaId = "109876543210001";
    public const string PhoneNumberId = "118765432100002";
    public const string ExpiredTokenFbtraceId = "AbCdEfGhIjKlMnOpQr";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _gate = new();
    private readonly GraphStubState _state = new();

    private GraphStub(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<GraphStub> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");

        GraphStub? stub = null;
        app.Run(context => stub!.HandleAsync(context));
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub = new GraphStub(app, new Uri(address));
        return stub;
    }

    /// <summary>Queues a reply for the next request that arrives, ahead of the documented default answer.</summary>
    public void Enqueue(ScriptedReply reply) => _script.Enqueue(reply);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context.Request);
        lock (_gate)
        {
            _requests.Add(request);
        }

        if (_script.TryDequeue(out var scripted))
        {
            await WriteScriptedAsync(context, scripted);
            return;
        }

        var (status, answer) = Answer(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true
            ? QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new RecordedRequest(
            request.Method,
            request.Path.Value ?? "",
            request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal),
            form,
            request.ContentType,
            body,
            request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization : null);
    }

    private static async Task WriteScriptedAsync(HttpContext context, ScriptedReply reply)
    {
        if (reply.Hang is { } hang)
        {
            // Bounded: the client's timeout aborts the connection long before this ends.
            try
            {
                await Task.Delay(hang, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }

    private (int Status, JsonNode Answer) Answer(RecordedRequest request)
    {
        var match = PathPattern().Match(request.Path);
        if (!match.Success)
        {
            return GraphErrors.UnknownPath(request.Path);
        }

        var id = match.Groups["id"].Value;
        var edge = match.Groups["edge"].Success ? match.Groups["edge"].Value : null;
        lock (_gate)
        {
            return edge switch
            {
                "subscriptions" => _state.AppSubscriptions(request, id),
                "subscribed_apps" => RequireBearer(request) ?? _state.SubscribedApps(request, id),
                null => RequireBearer(request) ?? _state.PhoneNumber(request, id),
                _ => GraphErrors.UnknownPath(request.Path),
            };
        }
    }

    private static (int, JsonNode)? RequireBearer(RecordedRequest request) =>
        request.Authorization == "Bearer " + AccessToken ? null : GraphErrors.ExpiredToken();

    [GeneratedRegex(@"^/v[0-9]+\.[0-9]+/(?<id>[^/]+)(?:/(?<edge>[^/]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
