using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WabaHooks.LoadHarness;

/// <summary>Where and what was measured: the date, the machine (cores, CPU model, kernel, .NET), the load beside the run, the commit.</summary>
internal sealed record MachineInfo(DateTimeOffset Date, int Cores, string CpuModel, string Kernel, string Runtime, string LoadBefore, string Commit)
{
    public static MachineInfo Read() => new(
        DateTimeOffset.UtcNow,
        Environment.ProcessorCount,
        ReadCpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        LoadAverage(),
        ReadCommit());

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string ReadCpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    private static string ReadCommit()
    {
        var head = Git("rev-parse --short=12 HEAD");
        if (head is null)
        {
            return "unknown (not a git checkout)";
        }

        var dirty = Git("status --porcelain --untracked-files=no -- src bench");
        return string.IsNullOrWhiteSpace(dirty) ? head : head + " + uncommitted changes";
    }

    private static string? Git(string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = HarnessOptions.FindRepositoryRoot() };
            using var git = Process.Start(info);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
