using WabaHooks.Cli.Checks;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// Meta's verification request against the callback URL, made from here exactly as <c>verify-endpoint</c> makes it:
/// the challenge echoed for the right verify token, refused for a wrong one.
/// </summary>
internal sealed class CallbackHandshakeCheck : IDoctorCheck
{
    public const string Name = "callback handshake";

    string IDoctorCheck.Name => Name;

    public async Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (context.VerifyToken is null)
        {
            return [Finding.Fail(Name, "no verify token is configured, and serve has not generated one.", "Set WabaHooks:VerifyToken (the token entered in the App Dashboard), or give --verify-token.")];
        }

        using var probe = new EndpointProbe(context.RequestTimeout);
        var results = await VerificationHandshake.CheckAsync(probe, context.CallbackUrl, context.VerifyToken, cancellationToken).ConfigureAwait(false);
        var failed = results.Where(r => !r.Passed).ToList();
        var where = context.CallbackUrlIsPublic
            ? context.CallbackUrl.ToString()
            : $"{context.CallbackUrl} (the local address; give --url with the public callback URL to check what Meta reaches)";
        return failed.Count == 0
            ? [Finding.Pass(Name, $"{where}: {string.Join("; ", results.Select(r => r.Name + ": " + r.Detail.TrimEnd('.')))}.")]
            : [Finding.Fail(Name, $"{where}: {string.Join("; ", failed.Select(r => r.Name + ": " + r.Detail.TrimEnd('.')))}.", "Meta verifies the callback URL this way before it sends anything: make sure serve runs and is reachable at this URL with this verify token (wabahooks verify-endpoint URL checks it in full).")];
    }
}
