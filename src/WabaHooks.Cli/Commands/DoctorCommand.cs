using System.CommandLine;
using System.Globalization;
using WabaHooks.Cli.Doctor;

namespace WabaHooks.Cli.Commands;

/// <summary>
/// <c>wabahooks doctor</c>: checks a deployment end to end — configuration, store, disk, the callback URL as Meta calls
/// it, its certificate, the subscriptions Meta holds, each destination, the clock — a verdict a line with the fix.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var options = new DoctorOptions();
        var command = new Command(
            "doctor",
            "Check a deployment: configuration, store and schema, disk space, the callback URL's handshake and certificate, the Graph subscriptions (with a token), each destination, clock skew. Exit 0 only when nothing failed.");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var context = options.Resolve(parse, errors);
            if (errors.Count > 0 || context is null)
            {
                return CommonOptions.Fail("doctor", errors);
            }

            var perCheck = context.RequestTimeout * 6;
            var findings = await DoctorRunner.RunAsync(DoctorChecks.All(), context, perCheck, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(options.Json))
            {
                DoctorReport.WriteJson(Console.Out, findings);
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Checking the deployment of {context.Source}, callback URL {context.CallbackUrl}."));
                DoctorReport.WriteText(Console.Out, findings);
            }

            return findings.Any(f => f.Verdict == Verdict.Fail) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
