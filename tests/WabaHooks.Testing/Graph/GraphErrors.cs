using System.Text.Json.Nodes;

namespace WabaHooks.Testing.Graph;

/// <summary>Graph's error answers, in the shape of its error object.</summary>
internal static class GraphErrors
{
    public static (int, JsonNode) InvalidParameter(string message) => (400, Envelope(message, "OAuthException", 100, null, false, "InvalidParamTrace1"));

    public static (int, JsonNode) ExpiredToken() =>
        (400, Envelope("Error validating access token: Session has expired on Thursday, 01-Jan-2026 10:00:00 PST.", "OAuthException", 190, 463, false, GraphStub.ExpiredTokenFbtraceId));

    public static (int, JsonNode) UnknownPath(string path) => (400, Envelope($"Unknown path components: {path}", "OAuthException", 2500, null, false, "UnknownPathTrace"));

    public static JsonNode Success() => new JsonObject { ["success"] = true };

    public static JsonObject Envelope(string message, string type, int code, int? subcode, bool isTransient, string fbtraceId)
    {
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["code"] = code,
            ["fbtrace_id"] = fbtraceId,
        };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }

        if (isTransient)
        {
            error["is_transient"] = true;
        }

        return new JsonObject { ["error"] = error };
    }
}
