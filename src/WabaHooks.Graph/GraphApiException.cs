using System.Net;

namespace WabaHooks.Graph;

/// <summary>
/// The Graph API refused a request: its error object (<c>{"error":{"message", "type", "code", …}}</c>) or, when the
/// answer was not one, a description of what came back. Access tokens are removed from every text it carries.
/// </summary>
public sealed class GraphApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GraphApiException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GraphApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public GraphApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from the parts of a Graph error.</summary>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    /// <param name="message">Meta's <c>message</c>, or a description of a non-Graph answer.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    public GraphApiException(HttpStatusCode statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Meta's <c>code</c>, such as 100 (invalid parameter) or 190 (access token expired or invalid).</summary>
    public int? Code { get; init; }

    /// <summary>Meta's <c>error_subcode</c>, which narrows <see cref="Code"/>, such as 463 (token expired).</summary>
    public int? ErrorSubcode { get; init; }

    /// <summary>Meta's <c>type</c>, such as <c>OAuthException</c>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Meta's <c>fbtrace_id</c>: quote it to Meta support.</summary>
    public string? FbtraceId { get; init; }

    /// <summary>Meta's <c>is_transient</c>: the same request may succeed later.</summary>
    public bool IsTransient { get; init; }

    /// <summary>Meta's <c>error_user_title</c>, a title meant for an end user.</summary>
    public string? ErrorUserTitle { get; init; }

    /// <summary>Meta's <c>error_user_msg</c>, a message meant for an end user.</summary>
    public string? ErrorUserMsg { get; init; }

    /// <summary>How many attempts were made before giving up, retries included.</summary>
    public int Attempts { get; init; } = 1;

    /// <inheritdoc/>
    /// <remarks>Adds the Graph error's fields, so a plain log line still carries the code and <c>fbtrace_id</c>.</remarks>
    public override string ToString() =>
        base.ToString() + Environment.NewLine +
        FormattableString.Invariant(
            $"Graph error: HTTP {(int)StatusCode}, code {Code}, error_subcode {ErrorSubcode}, type {ErrorType}, fbtrace_id {FbtraceId}, is_transient {IsTransient}, attempts {Attempts}");
}
