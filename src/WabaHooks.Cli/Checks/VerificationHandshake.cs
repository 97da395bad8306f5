using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WabaHooks.Cli.Checks;

/// <summary>
/// Meta's verification request (reference §1), made the way Meta makes it, and judged the way Meta judges it: HTTP 200
/// with the challenge as the whole body. A second request with a wrong token must not pass, or anyone could register
/// the endpoint.
/// </summary>
internal static class VerificationHandshake
{
    public const string VerificationCheck = "verification request";
    public const string WrongTokenCheck = "wrong verify token refused";

    private const string ChallengeAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static async Task<IReadOnlyList<CheckResult>> CheckAsync(EndpointProbe probe, Uri callbackUrl, string verifyToken, CancellationToken cancellationToken)
    {
        var challenge = NewChallenge();
        var answer = await probe.GetAsync(VerificationUrl(callbackUrl, challenge, verifyToken), cancellationToken).ConfigureAwait(false);
        var verification = Judge(answer, challenge);
        if (answer.Status is null)
        {
            // Nothing listens; the wrong-token request would only say so again.
            return [verification];
        }

        var wrongToken = "wabahooks-wrong-token-" + NewChallenge();
        var wrongChallenge = NewChallenge();
        var refused = await probe.GetAsync(VerificationUrl(callbackUrl, wrongChallenge, wrongToken), cancellationToken).ConfigureAwait(false);
        return [verification, JudgeWrongToken(refused, wrongChallenge)];
    }

    /// <summary>The callback URL with Meta's parameters appended, after any query string it already has (reference §1).</summary>
    public static Uri VerificationUrl(Uri callbackUrl, string challenge, string verifyToken)
    {
        var url = callbackUrl.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.Fragment, UriFormat.UriEscaped);
        var separator = callbackUrl.Query.Length > 1 ? "&" : (url.EndsWith('?') ? "" : "?");
        return new Uri(
            url + separator +
            "hub.mode=subscribe" +
            "&hub.challenge=" + Uri.EscapeDataString(challenge) +
            "&hub.verify_token=" + Uri.EscapeDataString(verifyToken));
    }

    /// <summary>
    /// A random challenge of digits and letters. Meta's samples are numeric but its WhatsApp page calls the challenge a
    /// random string, so an endpoint that parses it as a number fails here rather than on some later day.
    /// </summary>
    public static string NewChallenge()
    {
        var digits = RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        return digits + "-" + RandomNumberGenerator.GetString(ChallengeAlphabet, 12);
    }

    private static CheckResult Judge(EndpointAnswer answer, string challenge)
    {
        const string name = VerificationCheck;
        if (answer.Status is null)
        {
            return CheckResult.Fail(name, $"{answer.StatusText}. Meta could not reach it either.");
        }

        if (answer.Status != HttpStatusCode.OK)
        {
            var hint = answer.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
                ? " Nothing answers Meta's request at this path: check the URL's path (wabahooks serve uses /webhook)."
                : answer.Status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                ? " The endpoint refused the verify token: check that it is configured with the same token."
                : answer.Status is HttpStatusCode.BadRequest or HttpStatusCode.InternalServerError
                    ? $" The challenge was '{challenge}': echo it verbatim; do not parse it as a number (Meta calls it a random string)."
                    : "";
            return CheckResult.Fail(name, $"answered {answer.StatusText} instead of 200, so Meta would not verify it and would send no webhooks.{hint}");
        }

        if (answer.Body == challenge)
        {
            return CheckResult.Pass(name, $"200 with the challenge echoed exactly ({answer.Milliseconds}).");
        }

        if (answer.Body.Trim() == "\"" + challenge + "\"")
        {
            return CheckResult.Fail(name, $"answered 200 with the challenge JSON-quoted ({Show(answer.Body)}); Meta needs the bare challenge as the body (text/plain), not a JSON string.");
        }

        if (answer.Body.Trim() == challenge)
        {
            return CheckResult.Fail(name, $"answered 200 with whitespace around the challenge ({Show(answer.Body)}); Meta needs exactly the challenge, with no newline or spaces.");
        }

        return CheckResult.Fail(name, $"answered 200 but the body is not the challenge: expected '{challenge}', got {Show(answer.Body)}.");
    }

    private static CheckResult JudgeWrongToken(EndpointAnswer answer, string challenge)
    {
        const string name = WrongTokenCheck;
        if (answer.IsOk && answer.Body.Trim().Trim('"') == challenge)
        {
            return CheckResult.Fail(name, "answered 200 with the challenge to a wrong hub.verify_token: the endpoint does not check the token, so anyone could register it. Compare the token and answer 403 on a mismatch.");
        }

        if (answer.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            // Refused, but not for the token: nothing handles Meta's request at this URL, so this proves nothing.
            return CheckResult.Fail(name, $"answered {answer.StatusText}: no webhook endpoint at this path, so the token check was never reached. Check the URL's path.");
        }

        return answer.Status is null
            ? CheckResult.Fail(name, $"{answer.StatusText} on the second request.")
            : CheckResult.Pass(name, $"answered {answer.StatusText}.");
    }

    /// <summary>A body as it would be read in a log: quoted, control characters escaped, cut short.</summary>
    internal static string Show(string body)
    {
        if (body.Length == 0)
        {
            return "an empty body";
        }

        var text = new StringBuilder("'");
        foreach (var c in body.Length > 80 ? body[..80] : body)
        {
            switch (c)
            {
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case var _ when char.IsControl(c): text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        return text.Append(body.Length > 80 ? "…'" : "'").ToString();
    }
}
