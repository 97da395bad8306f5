using WabaHooks.LoadHarness;

// Usage: WabaHooks.LoadHarness [--quick] [--duration S] [--connections N] [--open-loop-duration S] ...   (see LoadOptions, LoadRun)
//        WabaHooks.LoadHarness forward [--format meta|event] [--concurrency N] [--deliveries N] ...   (see ForwardBench)
//        WabaHooks.LoadHarness call-latency [--samples N] [--load-fraction F] [--connections N] ...   (see CallLatencyBench)
//        WabaHooks.LoadHarness forward-broker --kind nats|rabbitmq --url URL [--format] [--concurrency N] [--deliveries N]
//        WabaHooks.LoadHarness fuzz [--count N] [--seed N] [--connections N] [--case N [--out FILE]] [--narrow-only] ...   (see FuzzBench)
//        WabaHooks.LoadHarness hostile [--idle N] [--slow N] [--duration S] [--rate N] [--cli PATH]   (see HostileBench)
//        WabaHooks.LoadHarness crash-cycles [--cycles C] [--connections N] [--min-up S] [--max-up S] ...   (see CrashCycles)
//        WabaHooks.LoadHarness open-loop CALLBACK_URL RATE SECONDS [CONNECTIONS] [APP_SECRET]   (the open-loop client alone, against any endpoint)
//        WabaHooks.LoadHarness process [--deliveries N] [--rounds R] [--sinks S] [--ordered] [--keep-up S --rate N]   (see ProcessBench: the processor alone, in-process)
//        WabaHooks.LoadHarness drain [--postgres CS [--server-pid PID]] [--deliveries N] [--rounds N] [--warmup N] [--sinks N]   (see DrainBench: the processor on PostgreSQL or SQLite, in-process)
//        WabaHooks.LoadHarness noop URL   (the baseline endpoint, started by the harness itself)
//        WabaHooks.LoadHarness receiver URL meta|event   (the no-op destination of forward, started by it)
if (args is ["noop", var noopUrl])
{
    await NoopEndpoint.RunAsync(noopUrl);
    return 0;
}

if (args is ["open-loop", .. var openLoopArgs])
{
    return await OpenLoopPhase.RunStandaloneAsync(openLoopArgs);
}

if (args is ["receiver", var receiverUrl, var receiverFormat])
{
    await ForwardReceiver.RunAsync(receiverUrl, receiverFormat);
    return 0;
}

if (args is ["process", .. var processArgs])
{
    return await ProcessBench.RunAsync(processArgs);
}

if (args is ["drain", .. var drainArgs])
{
    return await DrainBench.RunAsync(drainArgs);
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

return await LoadRun.RunAsync(args);

internal sealed record HarnessOptions(string PayloadDirectory, string CliPath)
{
    public static HarnessOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var root = FindRepositoryRoot();
        return new HarnessOptions(
            Value("--payloads") ?? DefaultPayloadDirectory(root),
            Value("--cli") ?? Path.Combine(root, "src", "WabaHooks.Cli", "bin", "Release", "net10.0", "WabaHooks.Cli.dll"));
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
