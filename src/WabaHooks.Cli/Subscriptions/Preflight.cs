using System.CommandLine;
using WabaHooks.Cli.Checks;
using WabaHooks.Cli.Output;

namespace WabaHooks.Cli.Subscriptions;

/// <summary>
/// Meta's own verification request, made before Meta is asked to register a callback URL. Meta makes the same request
/// when it registers one; an endpoint that fails it would make the Graph call fail with a vague error, or worse,
/// leave a subscription that delivers nothing.
/// </summary>
internal sealed class Preflight
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Option<bool> Skip { get; } = new("--skip-preflight")
    {
        Description = "Do not perform Meta's verification request against the callback URL before calling the Graph API.",
    };

    public void AddTo(Command command) => command.Options.Add(Skip);

    /// <summary>True when the endpoint would pass Meta's verification, or the check was skipped.</summary>
    public async Task<bool> PassesAsync(ParseResult parse, string command, Uri callbackUrl, string verifyToken, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Skip))
        {
            Console.Out.WriteLine($"Preflight skipped (--skip-preflight): Meta will verify {callbackUrl} itself.");
            return true;
        }

        using var probe = new EndpointProbe(Timeout);
        var results = await VerificationHandshake.CheckAsync(probe, callbackUrl, verifyToken, cancellationToken).ConfigureAwait(false);
        if (results.All(r => r.Passed))
        {
            Console.Out.WriteLine($"Preflight: {callbackUrl} answers Meta's verification request correctly.");
            CheckReport.Write(Console.Out, results);
            return true;
        }

        var error = Console.Error;
        error.WriteLine($"wabahooks {command}: preflight failed. Meta's verification request to {callbackUrl} would fail, so nothing was sent to the Graph API.");
        CheckReport.Write(error, results);
        error.WriteLine("Fix the endpoint and run again (wabahooks verify-endpoint checks it in full), or pass --skip-preflight to call the Graph API anyway.");
        return false;
    }
}
