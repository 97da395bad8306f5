using System.Globalization;
using System.Text;

namespace WabaHooks.LoadHarness;

/// <summary>
/// CPU time of this process's threads from <c>/proc/self/task</c>, grouped by thread name (<c>.NET TP Worker</c>,
/// <c>.NET Tiered Com</c>, <c>.NET BGC</c>, …): where the gateway's CPU goes, without a profiler. Linux only; empty
/// elsewhere.
/// </summary>
internal static class ThreadCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux .NET runs on

    /// <summary>Seconds of CPU (user, system) per thread id, with the thread's name.</summary>
    public static Dictionary<int, (string Name, double User, double System)> Snapshot()
    {
        var result = new Dictionary<int, (string, double, double)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return result;
        }

        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // Fields after the ")" that closes the name: state is field 3, utime 14, stime 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var user = long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond;
                var system = long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond;
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                result[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (name, user, system);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return result;
    }

    /// <summary>The CPU each group of threads used between two snapshots, largest first.</summary>
    public static string Report(Dictionary<int, (string Name, double User, double System)> before, Dictionary<int, (string Name, double User, double System)> after)
    {
        var groups = after
            .Select(t =>
            {
                var b = before.TryGetValue(t.Key, out var was) && was.Name == t.Value.Name ? was : default;
                return (Name: Group(t.Value.Name), User: t.Value.User - b.User, System: t.Value.System - b.System);
            })
            .Where(t => t.User + t.System > 0)
            .GroupBy(t => t.Name)
            .Select(g => (Name: g.Key, User: g.Sum(t => t.User), System: g.Sum(t => t.System), Threads: g.Count()))
            .OrderByDescending(g => g.User + g.System);
        var text = new StringBuilder("  CPU by thread (threads that ended during the run are not counted):").AppendLine();
        foreach (var (name, user, system, threads) in groups)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {name,-28} {user + system,7:0.00} s  (user {user:0.00} s, system {system:0.00} s; {threads} threads)").AppendLine();
        }

        return text.ToString();
    }

    private static string Group(string name) => name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '#');
}
