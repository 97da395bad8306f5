using System.Globalization;

namespace WabaHooks.LoadHarness;

/// <summary>
/// Latency as users feel it: a fresh <c>serve</c> on SQLite, warmed with unique deliveries and drained, then driven in
/// open loop (<see cref="OpenLoop"/>) at a fixed rate while the processor's lag is read from the store every second;
/// after the load, how long the backlog took to drain.
/// </summary>
internal static class OpenLoopPhase
{
    public static async Task<OpenLoopPhaseResult> RunAsync(LoadOptions options, UniquePayloads payloads, double rate, string dataDir)
    {
        Console.Error.WriteLine($"== open loop: `serve` SQLite at {rate:N0} req/s for {options.OpenLoopDuration} s, {options.OpenLoopConnections} connections");
        await using var serve = await LoadRun.StartServeAsync(options, LoadRun.Secret, dataDir);

        // Warm-up on the same kind of traffic (JIT of the receive and processing paths), then start from an empty backlog.
        await OpenLoop.PostAsync(serve.Callback, payloads, (long)Math.Clamp(rate * options.Warmup, 1_000, 50_000), connections: 32);
        using var lag = new StoreLag(dataDir);
        _ = await lag.WaitDrainedAsync(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50))
            ?? throw new HarnessFailureException("The processor did not drain the warm-up within 60 s.");

        var cpuBefore = ProcessCpu.Seconds(serve.Id);
        using var stop = new CancellationTokenSource();
        var sampling = lag.SampleAsync(stop.Token);
        var result = await OpenLoop.RunAsync(serve.Callback, payloads, rate, TimeSpan.FromSeconds(options.OpenLoopDuration), options.OpenLoopConnections);
        var cpu = ProcessCpu.Seconds(serve.Id) - cpuBefore;
        await stop.CancelAsync();
        var samples = await sampling;
        var drained = await lag.WaitDrainedAsync(TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(20));
        if (result.NotOk > 0)
        {
            Console.Error.WriteLine($"   {result.NotOk:N0} requests were not answered 200.");
        }

        return new OpenLoopPhaseResult(result, samples, drained, cpu * 1e6 / result.Requests, ProcessCpu.PeakRssMiB(serve.Id));
    }

    /// <summary>
    /// The client's floor: the same open loop, same rate and connections, against the no-op endpoint. What it shows
    /// (answer times, late starts, client CPU) is the client's and the machine's share of the gateway's figures.
    /// </summary>
    public static async Task<OpenLoopResult> FloorAsync(LoadOptions options, UniquePayloads payloads, double rate, string workDirectory)
    {
        var seconds = Math.Min(10, Math.Max(5, options.OpenLoopDuration / 3));
        Console.Error.WriteLine($"== open loop: the no-op endpoint at {rate:N0} req/s for {seconds} s (the client's floor)");
        await using var noop = await ServerProcess.StartAsync(LoadRun.NoopCommand(options), workDirectory);
        await OpenLoop.PostAsync(noop.Callback, payloads, (long)Math.Clamp(rate * options.Warmup, 1_000, 50_000), connections: 32);
        return await OpenLoop.RunAsync(noop.Callback, payloads, rate, TimeSpan.FromSeconds(seconds), options.OpenLoopConnections);
    }

    /// <summary><c>open-loop CALLBACK_URL RATE SECONDS [CONNECTIONS] [APP_SECRET]</c>: the open-loop client alone, against any endpoint that takes the example payloads.</summary>
    public static async Task<int> RunStandaloneAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("Usage: open-loop CALLBACK_URL RATE SECONDS [CONNECTIONS=128] [APP_SECRET]");
            return 2;
        }

        var payloads = new UniquePayloads(HarnessOptions.DefaultPayloadDirectory(HarnessOptions.FindRepositoryRoot()), args.Length > 4 ? args[4] : LoadRun.Secret);
        var result = await OpenLoop.RunAsync(
            new Uri(args[0]),
            payloads,
            double.Parse(args[1], CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)),
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 128);
        Console.WriteLine(result);
        return result.NotOk == 0 ? 0 : 1;
    }
}

/// <summary>The open-loop figures, the lag curve (one reading a second), the drain after the load and the server's CPU per request meanwhile (receive and processing).</summary>
internal sealed record OpenLoopPhaseResult(OpenLoopResult Load, List<(int Second, LagReading Reading)> Lag, TimeSpan? DrainedAfter, double ServerCpuMicrosPerRequest, double PeakRssMiB);
