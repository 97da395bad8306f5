using System.Diagnostics;
using System.Globalization;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The default run of <c>bench/load.sh</c>, issue #19's figures in one run: closed loop (wrk) against the no-op
/// endpoint, the raw Node.js HMAC endpoint, <c>serve</c> on SQLite with the processor running, <c>serve</c> on SQLite
/// with the processor parked (the receive path alone), <c>serve</c> on PostgreSQL; then <c>serve</c> on SQLite in open
/// loop at a fraction of its closed-loop peak with the processor's lag sampled every second; then the processing CPU
/// per delivery (<see cref="ProcessingBench"/>); then one summary, printed and written as Markdown.
/// </summary>
internal static class LoadRun
{
    public const string Secret = "0123456789abcdef0123456789abcdef";

    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var machine = MachineInfo.Read();
        var work = Directory.CreateTempSubdirectory("wabahooks-bench-");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var script = WrkScript.Write(options.PayloadDirectory, Secret, "/webhook", Path.Combine(work.FullName, "post.lua"));
            var payloads = new UniquePayloads(options.PayloadDirectory, Secret);
            var summary = new Summary(options, machine);

            await using (var noop = await ServerProcess.StartAsync(NoopCommand(options), work.FullName))
            {
                summary.NoOp = await ClosedLoop.RunAsync("no-op endpoint (Kestrel: reads the body, answers 200)", noop, script, options, payloads, checksSignatures: false);
            }

            await using (var node = await ServerProcess.StartAsync([options.Node, options.NodeScript, Ports.Free().ToString(CultureInfo.InvariantCulture), Secret], work.FullName))
            {
                summary.Node = await ClosedLoop.RunAsync("Node.js endpoint (node:http + HMAC check, stores nothing)", node, script, options, payloads, checksSignatures: true);
            }

            await using (var serve = await StartServeAsync(options, Secret, Path.Combine(work.FullName, "data-sqlite")))
            {
                summary.Sqlite = await ClosedLoop.RunAsync("`serve`, SQLite (synchronous=FULL), processor running", serve, script, options, payloads, checksSignatures: true);
            }

            await using (var serve = await StartServeAsync(options, Secret, Path.Combine(work.FullName, "data-receive"), Parked))
            {
                summary.ReceiveOnly = await ClosedLoop.RunAsync("`serve`, SQLite, processor parked (receive path alone)", serve, script, options, payloads, checksSignatures: true);
                using var store = new StoreLag(Path.Combine(work.FullName, "data-receive"));
                summary.Parked = store.Read();
            }

            if (options.Postgres is { } postgres)
            {
                await using var serve = await StartServeAsync(options, Secret, Path.Combine(work.FullName, "data-pg"), postgres: postgres);
                summary.Postgres = await ClosedLoop.RunAsync("`serve`, PostgreSQL, processor running", serve, script, options, payloads, checksSignatures: true, options.PostgresData);
            }

            var rate = summary.Sqlite.RequestsPerSecond * options.OpenLoopFraction;
            summary.OpenLoopFloor = await OpenLoopPhase.FloorAsync(options, payloads, rate, work.FullName);
            summary.OpenLoop = await OpenLoopPhase.RunAsync(options, payloads, rate, Path.Combine(work.FullName, "data-open-loop"));
            summary.Processing = await ProcessingBench.RunAsync(options, payloads, Secret, work.FullName);

            summary.WallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return summary.Write() ? 0 : 1;
        }
        catch (HarnessFailureException ex)
        {
            Console.Error.WriteLine("HARNESS FAILURE (not a result): " + ex.Message);
            return 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The processor's batch window set to 12 hours: after its first small batch it sleeps, and only the receive path runs.</summary>
    public static readonly IReadOnlyDictionary<string, string> Parked = new Dictionary<string, string> { ["WabaHooks__Processor__BatchWindow"] = "12:00:00" };

    /// <summary>
    /// The no-op endpoint on a free port, under <c>serve</c>'s own runtime configuration (its thread-pool and GC
    /// settings) when it is there: the ratio to it should measure the work serve does, not a runtime setting.
    /// </summary>
    public static List<string> NoopCommand(LoadOptions options)
    {
        var self = Path.Combine(AppContext.BaseDirectory, "WabaHooks.LoadHarness.dll");
        var serveRuntime = Path.ChangeExtension(options.CliPath, ".runtimeconfig.json");
        List<string> command = File.Exists(serveRuntime) ? ["dotnet", "exec", "--runtimeconfig", serveRuntime, self] : ["dotnet", self];
        command.AddRange(["noop", $"http://127.0.0.1:{Ports.Free()}"]);
        return command;
    }

    /// <summary><c>wabahooks serve</c> on its own ports (the admin listener included, as deployed) and data dir.</summary>
    public static Task<ServerProcess> StartServeAsync(
        LoadOptions options, string secret, string dataDir, IReadOnlyDictionary<string, string>? environment = null, string? postgres = null)
    {
        List<string> command =
        [
            "dotnet", options.CliPath, "serve",
            "--urls", $"http://127.0.0.1:{Ports.Free()}",
            "--admin-urls", $"http://127.0.0.1:{Ports.Free()}",
            "--data-dir", dataDir,
            "--verify-token", "bench",
            "--app-secret", secret,
        ];
        if (postgres is not null)
        {
            command.AddRange(["--postgres", postgres]);
        }

        return ServerProcess.StartAsync(command, Path.GetDirectoryName(dataDir)!, environment);
    }
}
