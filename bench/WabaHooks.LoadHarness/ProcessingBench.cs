using System.Diagnostics;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The processor's CPU per delivery, apart from the receive path's. The processor runs on the thread pool beside
/// Kestrel, so threads cannot tell the two apart; phases can. Twice, on a fresh data dir: <c>serve</c> with the
/// processor parked (a batch window of 12 hours: after its first small batch it sleeps) takes a backlog of unique
/// deliveries through the real callback; it is stopped; <c>serve</c> starts again normally and drains the backlog, and
/// its CPU from start to the last processed mark is read. One run has a small backlog, the other a large one; the
/// difference of their CPU over the difference of their backlogs is the processing alone — start-up, JIT and idle
/// timers cancel out.
/// </summary>
internal static class ProcessingBench
{
    public static async Task<ProcessingFigures> RunAsync(LoadOptions options, UniquePayloads payloads, string secret, string work)
    {
        var large = options.ProcessingDeliveries;
        var small = Math.Max(1_000, large / 8);
        var first = await DrainAsync(small, options, payloads, secret, Path.Combine(work, "processing-small"));
        var second = await DrainAsync(large, options, payloads, secret, Path.Combine(work, "processing-large"));
        var deliveries = second.Backlog - first.Backlog;
        return new ProcessingFigures(
            deliveries,
            second.Events / (double)second.Stored,
            (second.CpuSeconds - first.CpuSeconds) * 1e6 / deliveries,
            deliveries / (second.Seconds - first.Seconds),
            first,
            second);
    }

    private static async Task<DrainRun> DrainAsync(int count, LoadOptions options, UniquePayloads payloads, string secret, string dataDir)
    {
        Console.Error.WriteLine($"== processing: a backlog of {count:N0} unique deliveries, then a drain");
        await using (var parked = await LoadRun.StartServeAsync(options, secret, dataDir, LoadRun.Parked))
        {
            await OpenLoop.PostAsync(parked.Callback, payloads, count, connections: 32);
        }

        long backlog;
        using (var lag = new StoreLag(dataDir))
        {
            backlog = lag.Read().Unprocessed;
        }

        if (backlog < count * 0.9)
        {
            throw new HarnessFailureException($"The parked processor processed {count - backlog:N0} of {count:N0} deliveries: the batch window no longer parks it, so the drain would not measure processing alone.");
        }

        var started = Stopwatch.GetTimestamp();
        await using var serve = await LoadRun.StartServeAsync(options, secret, dataDir);
        using var store = new StoreLag(dataDir);
        _ = await store.WaitDrainedAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(20))
            ?? throw new HarnessFailureException($"The processor did not drain {backlog:N0} deliveries within 10 minutes.");
        var cpu = ProcessCpu.Seconds(serve.Id);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new DrainRun(backlog, store.Count("deliveries"), store.Count("events"), cpu, seconds);
    }
}

/// <summary>One drain: the backlog it found, the deliveries and events stored in all, the server's CPU and wall time from start to drained.</summary>
internal sealed record DrainRun(long Backlog, long Stored, long Events, double CpuSeconds, double Seconds);

/// <summary>The processing figures: CPU per delivery and the drain rate, from the difference of two drains.</summary>
internal sealed record ProcessingFigures(long Deliveries, double EventsPerDelivery, double CpuMicrosPerDelivery, double DeliveriesPerSecond, DrainRun Small, DrainRun Large);
