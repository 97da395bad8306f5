using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using WabaHooks.LoadHarness;

// Usage: WabaHooks.LoadHarness [--duration SECONDS] [--connections N] [--threads N] [--payloads DIR] [--cli PATH]
//        WabaHooks.LoadHarness forward [--format meta|event] [--concurrency N] [--deliveries N] ...   (see ForwardBench)
//        WabaHooks.LoadHarness call-latency [--samples N] [--load-fraction F] [--connections N] ...   (see CallLatencyBench)
//        WabaHooks.LoadHarness forward-broker --kind nats|rabbitmq --url URL [--format] [--concurrency N] [--deliveries N]
//        WabaHooks.LoadHarness fuzz [--count N] [--seed N] [--connections N] [--case N [--out FILE]] [--narrow-only] ...   (see FuzzBench)
//        WabaHooks.LoadHarness hostile [--idle N] [--slow N] [--duration S] [--rate N] [--cli PATH]   (see HostileBench)
//        WabaHooks.LoadHarness crash-cycles [--cycles C] [--connections N] [--min-up S] [--max-up S] ...   (see CrashCycles)
//        WabaHooks.LoadHarness noop URL   (the baseline endpoint, started by the harness itself)
//        WabaHooks.LoadHarness receiver URL meta|event   (the no-op destination of forward, started by it)
if (args is ["noop", var noopUrl])
{
    await NoopEndpoint.RunAsync(noopUrl);
    return 0;
}

if (args is ["receiver", var receiverUrl, var receiverFormat])
{
    await ForwardReceiver.RunAsync(receiverUrl, receiverFormat);
    return 0;
}

if (args is ["crash-cycles", .. var crashArgs])
{
    return await CrashCycles.RunAsync(crashArgs);
}

if (args is ["call-latency", .. var latencyArgs])
{
    try
    {
        return await CallLatencyBench.RunAsync(latencyArgs);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}

if (args is ["hostile", .. var hostileArgs])
{
    return await HostileBench.RunAsync(hostileArgs, HarnessOptions.Parse([]).CliPath);
}

if (args is ["fuzz", .. var fuzzArgs])
{
    return await FuzzBench.RunAsync(fuzzArgs);
}

if (args is ["forward-broker", .. var brokerArgs])
{
    try
    {
        return await ForwardBench.RunBrokerAsync(brokerArgs);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}

if (args is ["forward", .. var forwardArgs])
{
    try
    {
        return await ForwardBench.RunAsync(forwardArgs);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}

var options = HarnessOptions.Parse(args);
var secret = "0123456789abcdef0123456789abcdef";
var work = Directory.CreateTempSubdirectory("wabahooks-bench-");
try
{
    var script = WrkScript.Write(options.PayloadDirectory, secret, "/webhook", Path.Combine(work.FullName, "post.lua"));
    var self = Path.Combine(AppContext.BaseDirectory, "WabaHooks.LoadHarness.dll");

    var noop = await Target.RunAsync("no-op endpoint", ["dotnet", self, "noop", $"http://127.0.0.1:{Ports.Free()}"], script, options, work.FullName);
    var durable = await Target.RunAsync("wabahooks serve (SQLite, synchronous=FULL)",
        ["dotnet", options.CliPath, "serve", "--urls", $"http://127.0.0.1:{Ports.Free()}", "--data-dir", Path.Combine(work.FullName, "data"), "--verify-token", "bench", "--app-secret", secret],
        script, options, work.FullName);

    var results = new List<TargetResult> { noop, durable };
    if (options.Postgres is { } postgres)
    {
        results.Add(await Target.RunAsync("wabahooks serve (PostgreSQL)",
            ["dotnet", options.CliPath, "serve", "--urls", $"http://127.0.0.1:{Ports.Free()}", "--data-dir", Path.Combine(work.FullName, "data-pg"), "--verify-token", "bench", "--app-secret", secret, "--postgres", postgres],
            script, options, work.FullName));
    }

    Console.WriteLine();
    Console.WriteLine($"wrk: {options.Threads} threads, {options.Connections} connections, {options.Duration} s, {Directory.GetFiles(options.PayloadDirectory, "*.json").Length} pre-signed payloads in turn");
    Console.WriteLine($"| target | req/s | p50 | p99 | peak RSS | non-200 |");
    Console.WriteLine($"|---|---:|---:|---:|---:|---:|");
    foreach (var r in results)
    {
        Console.WriteLine($"| {r.Name} | {r.RequestsPerSecond:N0} | {r.P50} | {r.P99} | {r.PeakRssMiB:N0} MiB | {r.Non200} |");
    }

    Console.WriteLine();
    foreach (var r in results.Skip(1))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name} / no-op throughput: {r.RequestsPerSecond / noop.RequestsPerSecond:0.00}x"));
    }

    Console.WriteLine("(goals: durable >= 0.6x the no-op endpoint; p99 <= 10 ms; RSS <= 150 MiB)");
    return 0;
}
finally
{
    work.Delete(recursive: true);
}

internal sealed record HarnessOptions(int Duration, int Connections, int Threads, string PayloadDirectory, string CliPath, string? Postgres)
{
    public static HarnessOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var root = FindRepositoryRoot();
        return new HarnessOptions(
            int.Parse(Value("--duration") ?? "20", CultureInfo.InvariantCulture),
            int.Parse(Value("--connections") ?? "64", CultureInfo.InvariantCulture),
            int.Parse(Value("--threads") ?? "2", CultureInfo.InvariantCulture),
            Value("--payloads") ?? DefaultPayloadDirectory(root),
            Value("--cli") ?? Path.Combine(root, "src", "WabaHooks.Cli", "bin", "Release", "net10.0", "WabaHooks.Cli.dll"),
            Value("--postgres"));
    }

    // shared/payloads beside the repository is the source of truth; the CLI's embedded copy stands in without it.
    internal static string DefaultPayloadDirectory(string root)
    {
        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "payloads"));
        return Directory.Exists(shared) ? shared : Path.Combine(root, "src", "WabaHooks.Cli", "Trigger", "Templates");
    }

    internal static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WabaHooks.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the harness from inside the repository (WabaHooks.slnx not found).");
    }
}

internal static class Ports
{
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal sealed record TargetResult(string Name, double RequestsPerSecond, string P50, string P99, double PeakRssMiB, long Non200);

internal static partial class Target
{
    public static async Task<TargetResult> RunAsync(string name, string[] command, string script, HarnessOptions options, string workDirectory)
    {
        Console.Error.WriteLine($"== {name}");
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDirectory };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var server = Process.Start(start)!;
        string? callback = null;
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Callback URL:", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult(e.Data[(e.Data.IndexOf("http", StringComparison.Ordinal))..].Trim());
            }
        };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("   server: " + e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            callback = await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var baseUrl = callback[..callback.LastIndexOf("/webhook", StringComparison.Ordinal)];

            // Warm up (JIT, tiered compilation, SQLite page cache), then measure.
            await Wrk(options.Threads, options.Connections, 5, script, baseUrl);
            var output = await Wrk(options.Threads, options.Connections, options.Duration, script, baseUrl);
            var peakKiB = ReadVmHwmKiB(server.Id);
            return new TargetResult(
                name,
                double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
                Percentile(output, "50"),
                Percentile(output, "99"),
                peakKiB / 1024.0,
                Non200Responses().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<string> Wrk(int threads, int connections, int seconds, string script, string url)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency", "-s", script, url })
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk is not installed (apt-get install wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        Console.Error.WriteLine(output);
        return output;
    }

    private static string Percentile(string wrkOutput, string percentile) =>
        Regex.Match(wrkOutput, $@"^\s*{percentile}(?:\.000)?%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;

    private static long ReadVmHwmKiB(int pid)
    {
        // The process's peak resident set: what a container's memory limit must allow.
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non200Responses();
}
