using System.Text.Json;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Doctor;

/// <summary>A <c>wabahooks doctor --json</c> run: its exit code and each finding by check name.</summary>
internal sealed record DoctorRun(int ExitCode, IReadOnlyDictionary<string, (string Verdict, string Detail, string? Fix)> Findings, string Output)
{
    public static async Task<DoctorRun> RunAsync(params string[] arguments)
    {
        var result = await CliProcess.RunAsync(["doctor", "--json", .. arguments], timeout: TimeSpan.FromSeconds(120));
        return Parse(result);
    }

    public static DoctorRun Parse(CliResult result)
    {
        var output = result.StandardOutput + "\n" + result.StandardError;
        using var json = JsonDocument.Parse(result.StandardOutput);
        var findings = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(
            c => c.GetProperty("check").GetString()!,
            c => (c.GetProperty("verdict").GetString()!, c.GetProperty("detail").GetString()!, c.TryGetProperty("fix", out var fix) ? fix.GetString() : null));
        return new DoctorRun(result.ExitCode, findings, output);
    }

    public (string Verdict, string Detail, string? Fix) this[string check] =>
        Findings.TryGetValue(check, out var finding) ? finding : throw new KeyNotFoundException($"No finding '{check}' in:\n{Output}");

    public void AssertVerdict(string check, string verdict) =>
        Assert.True(this[check].Verdict == verdict, $"{check}: expected {verdict}, got {this[check].Verdict}: {this[check].Detail}\n{Output}");
}
