using System.Text.Json.Nodes;

namespace WabaHooks.Graph.Tests.Support;

/// <summary>Error answers in the shape of Graph's error object.</summary>
internal static class GraphErrors
{
    public static (int, JsonNode) InvalidParameter(string message) => Error(400, message, code: 100, subcode: null, "InvalidParamTrace1");

    public static (int, JsonNode) ExpiredToken() =>
        Error(400, "Error validating access token: Session has expired on Thursday, 01-Jan-2026 10:00:00 PST.", code: 190, subcode: 463, GraphStub.ExpiredTokenFbtraceId);

    public static (int, JsonNode) UnknownPath(string path) => Error(400, $"Unknown path components: {path}", code: 2500, subcode: null, "UnknownPathTrace");

    public static JsonNode Success() => new JsonObject { ["success"] = true };

    private static (int, JsonNode) Error(int status, string message, int code, int? subcode, string fbtraceId)
    {
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = code,
            ["fbtrace_id"] = fbtraceId,
        };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }

        return (status, new JsonObject { ["error"] = error });
    }
}
