using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Support;

/// <summary>Runs <c>wabahooks</c> to its end, with an optional environment; bounded generously, as the test machine is shared.</summary>
internal static class CliCommand
{
    public static Task<CliResult> RunAsync(params string[] arguments) => CliProcess.RunAsync(arguments, timeout: TimeSpan.FromSeconds(90));

    public static Task<CliResult> RunAsync(IDictionary<string, string> environment, params string[] arguments) =>
        CliProcess.RunAsync(arguments, environment: environment, timeout: TimeSpan.FromSeconds(90));

    /// <summary>Everything the command printed, for checks that something never appears.</summary>
    public static string AllOutput(this CliResult result) => result.StandardOutput + "\n" + result.StandardError;
}
