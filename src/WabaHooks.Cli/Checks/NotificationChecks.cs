using System.Security.Cryptography;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Checks;

/// <summary>
/// One signed notification must be accepted with 200 (reference §2.3); an unsigned one and one signed with another
/// secret must be refused (§2.2), or anyone who knows the URL can inject messages.
/// </summary>
internal static class NotificationChecks
{
    public const string SignedCheck = "signed notification accepted";
    public const string UnsignedCheck = "unsigned notification refused";
    public const string BadlySignedCheck = "badly signed notification refused";

    public static async Task<IReadOnlyList<CheckResult>> CheckAsync(EndpointProbe probe, Uri url, AppSecret secret, Func<byte[]> newNotification, CancellationToken cancellationToken)
    {
        var body = newNotification();
        var signed = await probe.PostSignedAsync(url, body, secret, cancellationToken).ConfigureAwait(false);
        var signedResult = signed.IsOk
            ? CheckResult.Pass(SignedCheck, $"200 ({signed.Milliseconds}).")
            : CheckResult.Fail(SignedCheck, $"answered {signed.StatusText}; Meta needs exactly 200, and retries anything else for days. Is the endpoint configured with this app secret?");

        var unsigned = await probe.PostAsync(url, newNotification(), signature: null, cancellationToken).ConfigureAwait(false);
        var unsignedResult = Refused(UnsignedCheck, unsigned, "a notification without X-Hub-Signature-256");

        var other = new AppSecret(null, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var forged = newNotification();
        var badlySigned = await probe.PostSignedAsync(url, forged, other, cancellationToken).ConfigureAwait(false);
        var badlySignedResult = Refused(BadlySignedCheck, badlySigned, "a notification signed with another secret");

        return [signedResult, unsignedResult, badlySignedResult];
    }

    private static CheckResult Refused(string name, EndpointAnswer answer, string what)
    {
        if (answer.Status is null)
        {
            return CheckResult.Fail(name, answer.StatusText + ".");
        }

        return answer.IsOk
            ? CheckResult.Fail(name, $"accepted {what} with 200: anyone who knows the URL can post fake notifications. Verify X-Hub-Signature-256 over the raw body and answer 401.")
            : CheckResult.Pass(name, $"answered {answer.StatusText}.");
    }
}
