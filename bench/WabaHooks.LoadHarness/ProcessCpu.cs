using System.Globalization;
using System.Runtime.InteropServices;

namespace WabaHooks.LoadHarness;

/// <summary>
/// CPU time and memory of another process from <c>/proc</c> (Linux): the server's own CPU per request, whatever the
/// load beside it, and a PostgreSQL cluster's CPU (the postmaster, its live children and the children it reaped).
/// </summary>
internal static partial class ProcessCpu
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux .NET runs on

    /// <summary>Seconds of CPU (user + system, every thread) the process has used; with <paramref name="reapedChildren"/> also its ended children's.</summary>
    public static double Seconds(int pid, bool reapedChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null)
        {
            return 0;
        }

        // After the ")" that closes the name: state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14].
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (reapedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }

    /// <summary>
    /// Seconds of CPU of a PostgreSQL cluster: the postmaster named in <c>postmaster.pid</c> of <paramref name="dataDirectory"/>
    /// with the backends it reaped, plus its live children. A backend that ends between two readings moves from the
    /// second term to the first, so differences stay right.
    /// </summary>
    public static double PostgresSeconds(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture, out var postmaster))
        {
            return 0;
        }

        var total = Seconds(postmaster, reapedChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && StatFields(pid) is { } fields
                && int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
            {
                total += Seconds(pid);
            }
        }

        return total;
    }

    /// <summary>The process's peak resident set (VmHWM), in MiB: what a container's memory limit must allow.</summary>
    public static double PeakRssMiB(int pid) => StatusKiB(pid, "VmHWM:") / 1024.0;

    /// <summary>The process's resident set now (VmRSS), in MiB.</summary>
    public static double RssMiB(int pid) => StatusKiB(pid, "VmRSS:") / 1024.0;

    /// <summary>Asks the process to stop (SIGTERM), as a service manager would; <c>false</c> when it could not be signalled.</summary>
    public static bool Terminate(int pid) => Kill(pid, 15) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // It ended meanwhile.
        }
    }

    private static long StatusKiB(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Ended meanwhile.
        }

        return 0;
    }
}
