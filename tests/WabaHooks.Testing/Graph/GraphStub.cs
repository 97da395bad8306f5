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

namespace WabaHooks.Testing.Graph;

/// <summary>
/// A local stand-in for graph.facebook.com on a real Kestrel server (127.0.0.1, a port of its own). It records every
/// request and answers as Meta's reference documents: app subscriptions, a WABA's <c>subscribed_apps</c>, a phone
/// number's <c>webhook_configuration</c>, message sends, media (<c>GET /{media-id}</c> and its short-lived download
/// URL), and Graph's error object for a wrong token or path. It keeps
/// just enough state for a read to reflect earlier writes; tests may set that state up directly. Scripted replies,
/// when queued, answer the next requests instead.
/// </summary>
/// <remarks>
/// It holds one app, one WABA and one phone number (any id is answered, these are the ones that tie together), and
/// accepts only its own tokens: <see cref="AccessToken"/> as a Bearer token on WABA and phone-number endpoints, and
/// <see cref="AppAccessToken"/> as the <c>access_token</c> parameter of <c>/{app-id}/subscriptions</c>.
/// </remarks>
public sealed partial class GraphStub : IAsyncDisposable
{
    public const string AccessToken = "EAAGstubSystemUserToken0123456789abcdef";
    public const string AppId = "1234567890";
    public const string AppName = "WabaHooks Stub App";
    public const string AppSecret = "0123456789abcdef0123456789abcdef";
    public const string AppAccessToken = AppId + "|" + AppSecret;
    public const string WabaId = "109876543210001";
    public const string PhoneNumberId = "118765432100002";
    public const string ExpiredTokenFbtraceId = "AbCdEfGhIjKlMnOpQr";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly List<GraphRequest> _requests = [];
    private readonly Lock _gate = new();
    private readonly GraphStubState _state = new();

    private GraphStub(WebApplication app) => _app = app;

    /// <summary>Where the stub listens, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<GraphRequest> Requests
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
        var stub = new GraphStub(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        stub.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return stub;
    }

    /// <summary>Queues a reply for the next request that arrives, ahead of the documented answer.</summary>
    public void Enqueue(ScriptedReply reply) => _script.Enqueue(reply);

    /// <summary>Subscribes the app to <paramref name="objectName"/> webhooks, each field with the API version it was subscribed under.</summary>
    public void SubscribeApp(string callbackUrl, IEnumerable<(string Name, string Version)> fields, string objectName = "whatsapp_business_account") =>
        Locked(() => _state.SubscribeApp(objectName, callbackUrl, fields));

    /// <summary>Lists <paramref name="appId"/> in the WABA's <c>subscribed_apps</c>, with an override if given.</summary>
    public void SubscribeWaba(string wabaId = WabaId, string appId = AppId, string? overrideCallbackUri = null) =>
        Locked(() => _state.SubscribeWaba(wabaId, appId, overrideCallbackUri));

    /// <summary>Removes <paramref name="appId"/> from the WABA's <c>subscribed_apps</c>, as Meta does to an app whose endpoint keeps failing.</summary>
    public void UnsubscribeWaba(string wabaId = WabaId, string appId = AppId) => Locked(() => _state.UnsubscribeWaba(wabaId, appId));

    /// <summary>Sets the phone number's own override callback.</summary>
    public void SetPhoneNumberOverride(string uri, string phoneNumberId = PhoneNumberId) => Locked(() => _state.SetPhoneNumberOverride(phoneNumberId, uri));

    /// <summary>Waits (bounded) until the stub has received <paramref name="count"/> requests in all.</summary>
    public Task WaitForRequestsAsync(int count) => Await.UntilAsync(() => Requests.Count >= count, $"{count} requests to the Graph stub");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await _app.DisposeAsync();
    }

    private void Locked(Action change)
    {
        lock (_gate)
        {
            change();
        }
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

        if (await TryServeMediaAsync(context, request))
        {
            return;
        }

        var (status, answer) = Answer(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }

    private static async Task<GraphRequest> RecordAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true
            ? QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new GraphRequest(
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

    private (int Status, JsonNode Answer) Answer(GraphRequest request)
    {
        var match = PathPattern().Match(request.Path);
        if (!match.Success)
        {
            return GraphErrors.UnknownPath(request.Path);
        }

        var version = match.Groups["version"].Value;
        var id = match.Groups["id"].Value;
        var edge = match.Groups["edge"].Success ? match.Groups["edge"].Value : null;
        lock (_gate)
        {
            return edge switch
            {
                "subscriptions" => _state.AppSubscriptions(request, version, id),
                "subscribed_apps" => RequireBearer(request) ?? _state.SubscribedApps(request, id),
                "messages" => RequireBearer(request) ?? _state.Messages(request),
                null => MediaInfo(request, id) ?? RequireBearer(request) ?? _state.PhoneNumber(request, id),
                _ => GraphErrors.UnknownPath(request.Path),
            };
        }
    }

    private static (int, JsonNode)? RequireBearer(GraphRequest request) =>
        request.Authorization == "Bearer " + AccessToken ? null : GraphErrors.ExpiredToken();

    [GeneratedRegex(@"^/(?<version>v[0-9]+\.[0-9]+)/(?<id>[^/]+)(?:/(?<edge>[^/]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();
}
