using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Cli.Doctor;

/// <summary>The doctor's findings for people (a verdict a line, the fix beneath each failure) or for automation (JSON).</summary>
internal static class DoctorReport
{
    public static void WriteText(TextWriter output, IReadOnlyList<Finding> findings)
    {
        foreach (var finding in findings)
        {
            var verdict = finding.Verdict switch { Verdict.Pass => "PASS", Verdict.Fail => "FAIL", _ => "SKIP" };
            output.WriteLine($"{verdict}  {finding.Check}: {finding.Detail}");
            if (finding.Fix is { } fix && finding.Verdict != Verdict.Pass)
            {
                output.WriteLine($"      fix: {fix}");
            }
        }

        output.WriteLine(Summary(findings));
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<Finding> findings)
    {
        var report = new DoctorJson(
            findings.Any(f => f.Verdict == Verdict.Fail) ? "fail" : "pass",
            Count(findings, Verdict.Pass),
            Count(findings, Verdict.Fail),
            Count(findings, Verdict.Skip),
            [.. findings.Select(f => new FindingJson(f.Check, f.Verdict.ToString().ToLowerInvariant(), f.Detail, f.Fix))]);
        output.WriteLine(JsonSerializer.Serialize(report, DoctorJsonContext.Default.DoctorJson));
    }

    public static string Summary(IReadOnlyList<Finding> findings) =>
        string.Create(CultureInfo.InvariantCulture, $"{Count(findings, Verdict.Pass)} passed, {Count(findings, Verdict.Fail)} failed, {Count(findings, Verdict.Skip)} skipped.");

    private static int Count(IReadOnlyList<Finding> findings, Verdict verdict) => findings.Count(f => f.Verdict == verdict);
}

/// <summary>The JSON form of the report: <c>verdict</c> is <c>fail</c> when any check failed.</summary>
internal sealed record DoctorJson(string Verdict, int Passed, int Failed, int Skipped, List<FindingJson> Checks);

/// <summary>One check in the JSON report; <c>verdict</c> is <c>pass</c>, <c>fail</c> or <c>skip</c>.</summary>
internal sealed record FindingJson(string Check, string Verdict, string Detail, string? Fix);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DoctorJson))]
internal sealed partial class DoctorJsonContext : JsonSerializerContext;
