using System.CommandLine;
using System.Globalization;
using WabaHooks.Cli.Checks;
using WabaHooks.Cli.Output;
using WabaHooks.Cli.Trigger;
using WabaHooks.Signatures;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks verify-endpoint</c>: checks a deployed endpoint against Meta's contract — the verification request,
/// signed and unsigned notifications, and latency under concurrent load — so a user can prove it before Meta calls.
/// </summary>
internal static class VerifyEndpointCommand
{
    public static Command Create()
    {
        var url = new Argument<string?>("URL") { Description = "The callback URL, as it would be entered in Meta's App Dashboard [default: the local gateway's, from the configuration's Serve:Urls and Serve:Path].", Arity = ArgumentArity.ZeroOrOne };
        var verifyToken = new Option<string?>("--verify-token") { Description = "The verify token the endpoint expects [default: the configured one, else the one serve generated in the data directory]." };
        var appSecret = new Option<string?>("--app-secret") { Description = "The app secret (SECRET or APP_ID:SECRET): also post signed, unsigned and badly signed notifications [default: the configured one, else the one serve generated]. Never printed." };
        var gateway = new GatewayOptions();
        var count = new Option<int>("--count") { Description = "Also send a burst of this many signed notifications and check latency (needs --app-secret) [default: none]." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight during the burst; Meta delivers concurrently.", DefaultValueFactory = _ => 10 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each answer.", DefaultValueFactory = _ => 10 };
        var command = new Command("verify-endpoint", "Check a webhook endpoint as Meta would: verification, signatures, and latency against Meta's requirement. Exit 0 only when every check passes.");
        command.Arguments.Add(url);
        command.Options.Add(verifyToken);
        command.Options.Add(appSecret);
        command.Options.Add(count);
        command.Options.Add(concurrency);
        command.Options.Add(timeout);
        gateway.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            const string name = "verify-endpoint";
            var errors = new List<string>();
            var local = gateway.Resolve(parse, errors);
            Uri? callbackUrl = local.CallbackUrl;
            if (parse.GetValue(url) is { } given && (!Uri.TryCreate(given, UriKind.Absolute, out callbackUrl) || (callbackUrl.Scheme != Uri.UriSchemeHttps && callbackUrl.Scheme != Uri.UriSchemeHttp)))
            {
                errors.Add($"URL must be an absolute http or https URL (was '{given}').");
            }

            var token = parse.GetValue(verifyToken) ?? local.VerifyToken;
            if (token is null)
            {
                errors.Add($"--verify-token is required: none is configured (WabaHooks:VerifyToken in {gateway.Source(parse)}), and serve has not generated one in {gateway.CredentialsFile(parse)}.");
            }

            var secret = parse.GetValue(appSecret) is null ? local.AppSecret : ParseSecret(parse.GetValue(appSecret), errors);
            var burst = parse.GetValue(count);
            if (burst < 0)
            {
                errors.Add("--count must be 0 or more.");
            }
            else if (burst > 0 && secret is null)
            {
                errors.Add("--count needs --app-secret: unsigned notifications are refused, so they say nothing about latency.");
            }

            if (parse.GetValue(concurrency) < 1)
            {
                errors.Add("--concurrency must be at least 1.");
            }

            if (parse.GetValue(timeout) is not (> 0 and <= 600))
            {
                errors.Add("--timeout must be between 0 and 600 seconds.");
            }

            if (errors.Count > 0 || callbackUrl is null || token is null)
            {
                return CommonOptions.Fail(name, errors);
            }

            var output = Console.Out;
            output.WriteLine(parse.GetValue(url) is null
                ? $"Checking the local gateway at {callbackUrl} as Meta would (give a URL to check another endpoint)."
                : $"Checking {callbackUrl} as Meta would.");
            using var probe = new EndpointProbe(TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.GetValue(concurrency));
            var results = new List<CheckResult>();
            var handshake = await VerificationHandshake.CheckAsync(probe, callbackUrl, token, cancellationToken).ConfigureAwait(false);
            CheckReport.Write(output, handshake);
            results.AddRange(handshake);
            var reachable = handshake.Count > 1;

            if (secret is not null && reachable)
            {
                var run = new TriggerRun(MetaIds.NewGraphId(), MetaIds.NewGraphId(), TimeProvider.System);
                var template = TemplateCatalog.Find("messages", "text")!;
                var notifications = await NotificationChecks.CheckAsync(probe, callbackUrl, secret, () => run.Render(template), cancellationToken).ConfigureAwait(false);
                CheckReport.Write(output, notifications);
                results.AddRange(notifications);

                if (burst > 0)
                {
                    var bodies = Enumerable.Range(0, burst).Select(_ => run.Render(template)).ToList();
                    var progress = burst > 1 ? new ProgressLine("verify-endpoint burst", burst) : null;
                    var answers = await NotificationBurst.SendAsync(probe, callbackUrl, bodies, secret, parse.GetValue(concurrency), progress, cancellationToken).ConfigureAwait(false);
                    var latency = new LatencySummary(answers.Select(a => a.Elapsed));
                    output.WriteLine($"Latency of {burst.ToString(CultureInfo.InvariantCulture)} notifications at concurrency {parse.GetValue(concurrency).ToString(CultureInfo.InvariantCulture)}: {latency.Describe()}.");
                    var burstResults = new List<CheckResult> { AllAnswered200(answers) };
                    burstResults.AddRange(latency.Check());
                    CheckReport.Write(output, burstResults);
                    results.AddRange(burstResults);
                }
            }
            else if (secret is not null)
            {
                output.WriteLine("Notifications not posted: the endpoint is not reachable.");
            }

            CheckReport.WriteSummary(output, results);
            return results.All(r => r.Passed) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    internal static AppSecret? ParseSecret(string? value, ICollection<string> errors)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return AppSecret.Parse(value);
        }
        catch (FormatException ex)
        {
            errors.Add("--app-secret: " + ex.Message);
            return null;
        }
    }

    private static CheckResult AllAnswered200(EndpointAnswer[] answers)
    {
        const string name = "every notification answered 200";
        var failed = answers.Where(a => !a.IsOk).ToList();
        if (failed.Count == 0)
        {
            return CheckResult.Pass(name, $"{answers.Length.ToString(CultureInfo.InvariantCulture)} of {answers.Length.ToString(CultureInfo.InvariantCulture)}.");
        }

        var reasons = string.Join(", ", failed.GroupBy(a => a.StatusText).Select(g => $"{g.Key} ×{g.Count().ToString(CultureInfo.InvariantCulture)}"));
        return CheckResult.Fail(name, $"{failed.Count.ToString(CultureInfo.InvariantCulture)} of {answers.Length.ToString(CultureInfo.InvariantCulture)} were not: {reasons}. Meta retries those, and duplicates follow.");
    }
}
