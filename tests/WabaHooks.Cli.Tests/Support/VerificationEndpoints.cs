using Microsoft.AspNetCore.Http;

namespace WabaHooks.Cli.Tests.Support;

/// <summary>
/// Endpoints that each get Meta's verification request wrong in one way, at /{mode}, on one loopback server, plus
/// /correct, which gets it right for <see cref="VerifyToken"/>. Notifications are answered 200 whatever their signature.
/// </summary>
public sealed class VerificationEndpoints : IAsyncLifetime
{
    public const string VerifyToken = "endpoint-verify-token-5521";

    private LoopbackServer? _server;

    public Uri BaseUrl => _server!.BaseUrl;

    public async ValueTask InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(HandleAsync, TestContext.Current.CancellationToken);
    }

    public Uri Url(string mode) => new(BaseUrl, "/" + mode);

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task HandleAsync(HttpContext context)
    {
        var challenge = context.Request.Query["hub.challenge"].ToString();
        var tokenMatches = context.Request.Query["hub.verify_token"] == VerifyToken;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            // A broken endpoint: accepts every notification, signed or not, and slowly when asked to.
            if (context.Request.Path == "/slow")
            {
                await Task.Delay(1100, context.RequestAborted);
            }

            context.Response.StatusCode = 200;
            return;
        }

        var (status, body) = context.Request.Path.Value switch
        {
            "/correct" => tokenMatches ? (200, challenge) : (403, ""),
            "/forbidden" => (403, "Forbidden"),
            "/error" => (500, "Internal Server Error"),
            "/quoted" => tokenMatches ? (200, "\"" + challenge + "\"") : (403, ""),
            "/newline" => tokenMatches ? (200, challenge + "\n") : (403, ""),
            "/wrong-body" => tokenMatches ? (200, "OK") : (403, ""),
            "/any-token" or "/slow" => (200, challenge),
            _ => (404, ""),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
