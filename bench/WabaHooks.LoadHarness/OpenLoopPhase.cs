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
}

/// <summary>The open-loop figures, the lag curve (one reading a second), the drain after the load and the server's CPU per request meanwhile (receive and processing).</summary>
internal sealed record OpenLoopPhaseResult(OpenLoopResult Load, List<(int Second, LagReading Reading)> Lag, TimeSpan? DrainedAfter, double ServerCpuMicrosPerRequest, double PeakRssMiB);
