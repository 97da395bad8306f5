using System.Globalization;
using System.Text.Json.Nodes;

namespace WabaHooks.Graph.Tests.Support;

/// <summary>A reply the Graph stub gives instead of its documented default.</summary>
internal sealed record ScriptedReply(int Status, string Body, string ContentType = "application/json; charset=UTF-8")
{
    /// <summary>A <c>Retry-After</c> header value, as sent.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>How long to wait before answering; the client's timeout ends the wait sooner.</summary>
    public TimeSpan? Hang { get; init; }

    public static ScriptedReply Error(int status, int code, string message, bool isTransient = false, string type = "OAuthException") =>
        new(status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = type,
                ["code"] = code,
                ["is_transient"] = isTransient,
                ["fbtrace_id"] = "Fb" + code.ToString(CultureInfo.InvariantCulture) + "Trace",
            },
        }.ToJsonString());

    public static ScriptedReply Success(string body = """{"success":true}""") => new(200, body);
}
