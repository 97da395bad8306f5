using System.Globalization;
using System.Text.Json.Nodes;

namespace WabaHooks.Testing.Graph;

/// <summary>A reply the <see cref="GraphStub"/> gives instead of its documented answer.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The body, as sent.</param>
/// <param name="ContentType">The content type, as sent.</param>
public sealed record ScriptedReply(int Status, string Body, string ContentType = "application/json; charset=UTF-8")
{
    /// <summary>A <c>Retry-After</c> header value, as sent.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>How long to wait before answering; the client's timeout ends the wait sooner.</summary>
    public TimeSpan? Hang { get; init; }

    /// <summary>Graph's error envelope, <c>{"error": {"message", "type", "code", …}}</c>.</summary>
    public static ScriptedReply Error(
        int status,
        int code,
        string message,
        bool isTransient = false,
        string type = "OAuthException",
        int? subcode = null,
        string? fbtraceId = null) =>
        new(status, GraphErrors.Envelope(message, type, code, subcode, isTransient, fbtraceId ?? "Fb" + code.ToString(CultureInfo.InvariantCulture) + "Trace").ToJsonString());

    /// <summary>A 200 with <paramref name="body"/>; by default Graph's <c>{"success": true}</c>.</summary>
    public static ScriptedReply Success(string body = """{"success":true}""") => new(200, body);
}
