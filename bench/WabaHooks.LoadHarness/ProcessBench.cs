using System.Diagnostics;
using System.Globalization;
using System.Text;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Sqlite;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>process</c>: the processor alone, in this process. Appends N deliveries from the payload folder (a mix that is
/// mostly messages and statuses, each made unique so none is a duplicate) to a fresh SQLite store, then drains them
/// with <see cref="DeliveryProcessor"/> and reports CPU per delivery, events per second and bytes allocated per
/// delivery. The append is not counted. Run it with <c>--rounds</c> above 1 to let the JIT settle (the first round is a
/// warm-up and is not reported).
/// </summary>
/// <remarks>
/// Usage: <c>process [--deliveries N] [--rounds R] [--sinks S] [--ordered] [--batch B] [--payloads DIR] [--keep-up SECONDS --rate N]</c>.
/// <c>--keep-up</c> appends at a fixed rate (deliveries/s) on one task while the processor drains on another, and prints
/// the unprocessed backlog each second: a bounded backlog is a processor that keeps up.
/// </remarks>
internal static class ProcessBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var count = int.Parse(Value("--deliveries") ?? "20000", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Value("--rounds") ?? "4", CultureInfo.InvariantCulture);
        var sinkCount = int.Parse(Value("--sinks") ?? "1", CultureInfo.InvariantCulture);
        var batchSize = int.Parse(Value("--batch") ?? "256", CultureInfo.InvariantCulture);
        var keepUp = Value("--keep-up") is { } seconds ? int.Parse(seconds, CultureInfo.InvariantCulture) : 0;
        var rate = int.Parse(Value("--rate") ?? "7500", CultureInfo.InvariantCulture);
        var ordered = args.Contains("--ordered");
        var payloads = LoadMix(Value("--payloads") ?? HarnessOptions.DefaultPayloadDirectory(HarnessOptions.FindRepositoryRoot()));

        var work = Directory.CreateTempSubdirectory("wabahooks-process-");
        try
        {
            var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(work.FullName));
            await using (store)
            {
                await store.InitializeAsync(CancellationToken.None);
                var sinks = Enumerable.Range(0, sinkCount)
                    .Select(i => new SinkRegistration($"sink-{i}", EventFilter.All) { Ordering = ordered && i == 0 ? SinkOrdering.PerConversation : SinkOrdering.None })
                    .ToArray();
                var processor = new DeliveryProcessor(store, store, new SinkRouter(sinks), new ProcessorOptions { BatchSize = batchSize });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"process: {payloads.Count} payload kinds, {count} deliveries a round, batch {batchSize}, {sinkCount} sink(s){(ordered ? " (first ordered)" : "")}, server GC {System.Runtime.GCSettings.IsServerGC}"));
                if (keepUp > 0)
                {
                    return await KeepUpAsync(store, processor, payloads, rate, keepUp);
                }

                var next = 0;
                Console.WriteLine("| round | deliveries | events | CPU µs/delivery | CPU µs/event | events/s (wall) | allocated B/delivery | duplicates |");
                Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (var round = 0; round < rounds; round++)
                {
                    await AppendAsync(store, payloads, next, count);
                    next += count;
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var allocated = GC.GetTotalAllocatedBytes(precise: true);
                    var clock = Stopwatch.StartNew();
                    int deliveries = 0, events = 0, duplicates = 0;
                    while (true)
                    {
                        var report = await processor.ProcessNextBatchAsync(CancellationToken.None);
                        if (report.Deliveries == 0)
                        {
                            break;
                        }

                        deliveries += report.Deliveries;
                        events += report.Stored;
                        duplicates += report.Duplicates;
                        if (report.Failed.Count > 0)
                        {
                            throw new InvalidOperationException($"The mix must give no failures: {report.Failed[0]}");
                        }
                    }

                    clock.Stop();
                    var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
                    var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {(round == 0 ? "warm-up" : round.ToString(CultureInfo.InvariantCulture))} | {deliveries} | {events} | {cpuUs / deliveries:0.0} | {cpuUs / Math.Max(1, events):0.0} | {events / clock.Elapsed.TotalSeconds:N0} | {bytes / (double)deliveries:N0} | {duplicates} |"));
                }
            }

            return 0;
        }
        finally
        {
            SqliteConnectionPools.Clear();
            work.Delete(recursive: true);
        }
    }

    /// <summary>Appends at <paramref name="rate"/> deliveries/s while the processor drains; prints the backlog each second.</summary>
    private static async Task<int> KeepUpAsync(SqliteStore store, DeliveryProcessor processor, List<byte[]> payloads, int rate, int seconds)
    {
        using var stop = new CancellationTokenSource();
        long appended = 0, processed = 0;
        var processing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var report = await processor.ProcessNextBatchAsync(CancellationToken.None);
                Interlocked.Add(ref processed, report.Deliveries);
                if (report.Deliveries == 0)
                {
                    await Task.Delay(5);
                }
                else if (report.Deliveries < 256)
                {
                    await Task.Delay(25); // the service's batch window
                }
            }
        });

        Console.WriteLine("| second | appended | processed | backlog | process CPU % of one core |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        const int Ticks = 100; // appends in groups, 100 a second, as group commits would
        for (var tick = 1; tick <= seconds * Ticks; tick++)
        {
            var due = (long)rate * tick / Ticks;
            var n = (int)(due - appended);
            await AppendAsync(store, payloads, (int)appended, n);
            appended += n;
            var wait = TimeSpan.FromSeconds(tick / (double)Ticks) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (tick % Ticks == 0)
            {
                var now = Process.GetCurrentProcess().TotalProcessorTime;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {tick / Ticks} | {appended} | {Interlocked.Read(ref processed)} | {appended - Interlocked.Read(ref processed)} | {(now - cpu).TotalSeconds * 100:0} |"));
                cpu = now;
            }
        }

        await stop.CancelAsync();
        await processing;
        return 0;
    }

    private static async Task AppendAsync(SqliteStore store, List<byte[]> payloads, int first, int count)
    {
        const int Group = 64;
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < count; start += Group)
        {
            var batch = new List<InboundDelivery>(Group);
            for (var i = start; i < Math.Min(count, start + Group); i++)
            {
                batch.Add(new InboundDelivery(Unique(payloads[(first + i) % payloads.Count], first + i), now, "bench-app", DeliveryFlags.None));
            }

            await store.AppendAsync(batch, CancellationToken.None);
        }
    }

    /// <summary>
    /// A copy of a payload that no other delivery repeats: every wamid and wacid gets the sequence number, and every
    /// change value a property holding it (so the keys of fields hashed by their bytes differ too).
    /// </summary>
    private static byte[] Unique(byte[] payload, int sequence)
    {
        var text = Encoding.UTF8.GetString(payload)
            .Replace("\"wamid.", $"\"wamid.{sequence:x8}", StringComparison.Ordinal)
            .Replace("\"wacid.", $"\"wacid.{sequence:x8}", StringComparison.Ordinal)
            .Replace("\"value\": {", $"\"value\": {{\"bench_sequence\": {sequence},", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// Mostly messages and statuses, as a busy gateway sees: each status payload three times (a message sent gets sent,
    /// delivered and read), each inbound message once, and every other field's payload once in five rounds.
    /// </summary>
    private static List<byte[]> LoadMix(string directory)
    {
        var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray();
        var statuses = files.Where(f => Path.GetFileName(f).StartsWith("messages-status", StringComparison.Ordinal)).ToArray();
        var messages = files.Where(f => Path.GetFileName(f).StartsWith("messages-", StringComparison.Ordinal) && !statuses.Contains(f)).ToArray();
        var others = files.Except(statuses).Except(messages).ToArray();
        var mix = new List<byte[]>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var f in messages) mix.Add(File.ReadAllBytes(f));
            foreach (var f in statuses) { var b = File.ReadAllBytes(f); mix.Add(b); mix.Add(b); mix.Add(b); }
        }

        foreach (var f in others) mix.Add(File.ReadAllBytes(f));

        // Interleave deterministically, so each batch holds a mix rather than runs of one kind.
        var random = new Random(19);
        return [.. mix.OrderBy(_ => random.Next())];
    }
}

/// <summary>Closes pooled SQLite connections so the temp folder can be deleted.</summary>
internal static class SqliteConnectionPools
{
    public static void Clear() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
