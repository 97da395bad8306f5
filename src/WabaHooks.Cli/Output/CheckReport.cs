using System.Globalization;
using WabaHooks.Cli.Checks;

namespace WabaHooks.Cli.Output;

/// <summary>Check results, one line each, PASS or FAIL first so they line up and grep well.</summary>
internal static class CheckReport
{
    public static void Write(TextWriter output, IEnumerable<CheckResult> results)
    {
        foreach (var result in results)
        {
            output.WriteLine($"{(result.Passed ? "PASS" : "FAIL")}  {result.Name}: {result.Detail}");
        }
    }

    public static void WriteSummary(TextWriter output, IReadOnlyCollection<CheckResult> results)
    {
        var failed = results.Count(r => !r.Passed);
        output.WriteLine(failed == 0
            ? $"All {results.Count.ToString(CultureInfo.InvariantCulture)} checks passed."
            : $"{failed.ToString(CultureInfo.InvariantCulture)} of {results.Count.ToString(CultureInfo.InvariantCulture)} checks failed.");
    }
}
