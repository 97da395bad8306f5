using System.Globalization;

namespace WabaHooks.LoadHarness;

/// <summary>
/// Options of the default run (<c>bench/load.sh</c>). <c>--quick</c> shortens every phase for a smoke run (about a
/// minute); any option given beside it wins.
/// </summary>
internal sealed record LoadOptions(
    int Duration,
    int Warmup,
    int Connections,
    int Threads,
    string PayloadDirectory,
    string CliPath,
    string? Postgres,
    string? PostgresData,
    string Node,
    string NodeScript,
    int OpenLoopDuration,
    double OpenLoopFraction,
    int OpenLoopConnections,
    int ProcessingDeliveries,
    string? Markdown,
    bool Quick)
{
    private static readonly string[] Flags = ["--quick"];

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (Flags.Contains(args[i]))
            {
                quick = true;
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unknown or incomplete option '{args[i]}'. Options: --duration S --warmup S --connections N --threads N --payloads DIR --cli PATH --postgres CS --postgres-data DIR --node PATH --open-loop-duration S --open-loop-fraction F --open-loop-connections N --processing-deliveries N --markdown FILE --quick");
            }

            values[args[i]] = args[++i];
        }

        int Int(string name, int normal, int quickValue) =>
            values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : quick ? quickValue : normal;

        var root = HarnessOptions.FindRepositoryRoot();
        return new LoadOptions(
            Int("--duration", 15, 4),
            Int("--warmup", 5, 2),
            Int("--connections", 64, 64),
            Int("--threads", 2, 2),
            values.GetValueOrDefault("--payloads") ?? HarnessOptions.DefaultPayloadDirectory(root),
            values.GetValueOrDefault("--cli") ?? Path.Combine(root, "src", "WabaHooks.Cli", "bin", "Release", "net10.0", "WabaHooks.Cli.dll"),
            values.GetValueOrDefault("--postgres"),
            values.GetValueOrDefault("--postgres-data"),
            values.GetValueOrDefault("--node") ?? "node",
            Path.Combine(root, "bench", "node-hmac-endpoint.mjs"),
            Int("--open-loop-duration", 60, 10),
            values.TryGetValue("--open-loop-fraction", out var f) ? double.Parse(f, CultureInfo.InvariantCulture) : 0.5,
            Int("--open-loop-connections", 128, 128),
            Int("--processing-deliveries", 40_000, 8_000),
            values.GetValueOrDefault("--markdown"),
            quick);
    }
}
