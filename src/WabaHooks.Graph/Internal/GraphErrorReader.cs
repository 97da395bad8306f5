using System.Net;
using System.Text;
using System.Text.Json;

namespace WabaHooks.Graph;

/// <summary>Turns a refused answer into a <see cref="GraphApiException"/>, whether or not it holds a Graph error object.</summary>
internal static class GraphErrorReader
{
    private const int SnippetLength = 200;

    public static GraphApiException Read(HttpStatusCode status, byte[] body, string? contentType, string request, SecretRedactor redactor, int attempts)
    {
        var error = TryParse(body);
        if (error is not null)
        {
            var message = string.IsNullOrWhiteSpace(error.Message)
                ? $"The Graph API refused {request} with HTTP {(int)status} and an error object without a message."
                : error.Message;
            return new GraphApiException(status, redactor.Redact(message))
            {
                Code = error.Code,
                ErrorSubcode = error.ErrorSubcode,
                ErrorType = error.Type,
                FbtraceId = error.FbtraceId,
                IsTransient = error.IsTransient,
                ErrorUserTitle = redactor.RedactOrNull(error.ErrorUserTitle),
                ErrorUserMsg = redactor.RedactOrNull(error.ErrorUserMsg),
                Attempts = attempts,
            };
        }

        // Proxies, load balancers and outages answer in HTML or plain text; say what came back without trusting it.
        var snippet = Snippet(body, redactor);
        var description = body.Length == 0
            ? "an empty body"
            : $"a body that is not a Graph error object ({contentType ?? "no content type"}, {body.Length} bytes): {snippet}";
        return new GraphApiException(status, $"The Graph API refused {request} with HTTP {(int)status} ({status}) and {description}")
        {
            Attempts = attempts,
        };
    }

    /// <summary>Whether the body is a Graph error object that says <c>is_transient</c>.</summary>
    public static bool IsTransient(byte[] body) => TryParse(body)?.IsTransient == true;

    private static GraphError? TryParse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, GraphJsonContext.Default.GraphErrorEnvelope)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Snippet(byte[] body, SecretRedactor redactor)
    {
        // The whole body is redacted before it is cut, so no token can straddle the cut.
        var text = redactor.Redact(Encoding.UTF8.GetString(body));
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= SnippetLength ? text : text[..SnippetLength] + "…";
    }
}
