using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting;
using WabaHooks.Hosting.Destinations;
using WabaHooks.Events;
using WabaHooks.Destinations;
using WabaHooks.Inbox;
using WabaHooks.Processing;
using WabaHooks.Signatures;
using WabaHooks.Sinks;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>forward</c>: how fast one HTTP destination drains a backlog into a no-op receiver, in events and requests per
/// second. The receiver (<see cref="ForwardReceiver"/>) runs in a child process on 127.0.0.1; the gateway runs in this
/// process (<c>AddWabaHooks</c> + <c>UseSqlite</c> on a fresh temp folder, one destination, nothing else).
/// </summary>
/// <remarks>
/// <para>The backlog is N deliveries mixing the example payloads in turn, each made unique by suffixing every
/// <c>"id"</c> string (entry ids, wamids, status ids), so no event dedupes. They are appended straight through the
/// store (no HTTP, no HMAC) and, by default, split by the processor before the gateway starts, so the figure is the
/// forwarding path alone: claim, re-split of the delivery, envelope, signature, the request, the outcome.
/// With <c>--inbox</c> only the inbox is preloaded and the gateway's own processor splits it while the destination
/// drains it: the whole path after the 200.</para>
/// <para>The clock runs from the first request the receiver gets to the one that brings it the last missing event
/// (both stamped by the receiver); CPU time is this process's (the gateway's) over the same run, from host start.
/// A warm-up run on a smaller backlog first gets the JIT and the receiver past their first requests.</para>
/// </remarks>
internal static partial class ForwardBench
{
    private const string AppSecretValue = "0123456789abcdef0123456789abcdef";
    private const string MetaSecret = "bench-meta-destination-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ForwardOptions.Parse(args);
        var templates = Directory.GetFiles(options.PayloadDirectory, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        if (templates.Length == 0)
        {
            throw new InvalidOperationException($"No payloads in {options.PayloadDirectory}.");
        }

        var root = Directory.CreateDirectory(Path.Combine(options.DataRoot, $"wabahooks-forward-{Guid.NewGuid():N}"));
        var self = Path.Combine(AppContext.BaseDirectory, "WabaHooks.LoadHarness.dll");
        var receiverUrl = $"http://127.0.0.1:{Ports.Free()}";
        using var receiver = StartReceiver(self, receiverUrl, options.Format);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(receiverUrl), Timeout = TimeSpan.FromSeconds(30) };
            await WaitForReceiverAsync(receiver);

            if (options.Warmup > 0)
            {
                Console.Error.WriteLine($"== warm-up: {options.Warmup:N0} deliveries");
                var warm = await RunOnceAsync(options, options.Warmup, templates, Path.Combine(root.FullName, "warmup"), receiverUrl, receiver, http, idOffset: 1_000_000_000);
                Console.Error.WriteLine("   " + warm);
            }

            Console.Error.WriteLine($"== measured: {options.Deliveries:N0} deliveries");
            var line = await RunOnceAsync(options, options.Deliveries, templates, Path.Combine(root.FullName, "run"), receiverUrl, receiver, http, idOffset: 0);
            Console.WriteLine(line);
            return line.StartsWith("FAILED", StringComparison.Ordinal) ? 1 : 0;
        }
        finally
        {
            receiver.Kill(entireProcessTree: true);
            await receiver.WaitForExitAsync();
            if (options.Keep)
            {
                Console.Error.WriteLine($"   kept {root.FullName}");
            }
            else
            {
                root.Delete(recursive: true);
            }
        }
    }

    private static async Task<string> RunOnceAsync(
        ForwardOptions options, int count, byte[][] templates, string dataDir, string receiverUrl, Process receiver, HttpClient http, long idOffset)
    {
        // 1. The backlog.
        var bodies = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            bodies[i] = MakeUnique(templates[i % templates.Length], idOffset + i);
            if (options.Conversations > 0)
            {
                bodies[i] = InConversation(bodies[i], (idOffset + i) % options.Conversations);
            }

            if (options.InTimeOrder)
            {
                bodies[i] = InTimeOrder(bodies[i], i);
            }
        }

        var expected = CountEvents(bodies, out var totalEvents);
        if (expected != totalEvents)
        {
            Console.Error.WriteLine($"   note: {totalEvents - expected:N0} of {totalEvents:N0} events share an id and are deduplicated");
        }

        var destination = new DestinationOptions
        {
            Name = "bench",
            Url = new Uri(receiverUrl + "/receive"),
            Format = options.Format == "event" ? DestinationFormat.Event : DestinationFormat.Meta,
            Secret = options.Format == "event" ? StandardWebhooks.GenerateSecret() : MetaSecret,
            MaxConcurrency = options.Concurrency,
            Ordering = options.Conversations > 0 ? SinkOrdering.PerConversation : SinkOrdering.None,
            ReorderWindow = TimeSpan.Zero,
        };
        var preload = Stopwatch.StartNew();
        if (options.Mode != "baseline")
        {
            await PreloadAsync(dataDir, bodies, destination, split: !options.Inbox);
        }

        Console.Error.WriteLine($"   preloaded {count:N0} deliveries ({expected:N0} events){(options.Inbox ? " into the inbox" : ", split")} in {preload.Elapsed.TotalSeconds:0.0} s");

        if (options.Mode == "store-only")
        {
            return await StoreOnlyAsync(options, dataDir, destination, count, expected);
        }

        // 2. The gateway, started on the backlog (or, for the baseline, the bare client); the receiver counts from zero.
        using (var reset = await http.PostAsync(new Uri("/reset", UriKind.Relative), null))
        {
            reset.EnsureSuccessStatusCode();
        }

        TimedStore? timed = null;
        IHost? host = null;
        if (options.Mode == "gateway")
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var hooks = builder.Services.AddWabaHooks(o =>
            {
                o.VerifyToken = "bench";
                o.AppSecrets.Add(new AppSecret("bench", AppSecretValue));
            });
            if (options.Instrument)
            {
                hooks.UseStore(_ => timed = new TimedStore(new SqliteStore(SqliteStoreOptions.ForDataDirectory(dataDir))));
            }
            else
            {
                hooks.UseSqlite(dataDir);
            }

            hooks.AddDestination(destination);
            host = builder.Build();
        }

        var threadsBefore = options.Instrument ? ThreadCpu.Snapshot() : [];
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var systemCpuBefore = self.PrivilegedProcessorTime;
        receiver.Refresh();
        var receiverCpuBefore = receiver.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var sending = host is not null ? host.StartAsync() : SendDirectlyAsync(destination, bodies);
        using var stopSampling = new CancellationTokenSource();
        var walPeak = options.Instrument ? SampleWalAsync(dataDir, stopSampling.Token) : Task.FromResult(0L);

        // 3. Until the receiver has every event (or stops making progress).
        ReceiverStats stats;
        var lastProgress = Stopwatch.GetTimestamp();
        long lastDistinct = -1;
        while (true)
        {
            stats = (await http.GetFromJsonAsync(new Uri("/stats", UriKind.Relative), StatsContext.Default.ReceiverStats))!;
            if (stats.Distinct >= expected)
            {
                break;
            }

            if (stats.Distinct != lastDistinct)
            {
                lastDistinct = stats.Distinct;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > options.StallTimeout)
            {
                break;
            }

            await Task.Delay(50);
        }

        self.Refresh();
        receiver.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var systemCpu = self.PrivilegedProcessorTime - systemCpuBefore;
        var receiverCpu = receiver.TotalProcessorTime - receiverCpuBefore;
        var wall = Stopwatch.GetElapsedTime(started);
        var threadsAfter = options.Instrument ? ThreadCpu.Snapshot() : [];
        var load = LoadAverage();
        await sending;
        await stopSampling.CancelAsync();
        if (options.Instrument && host is not null)
        {
            Console.Error.WriteLine($"  write-ahead log: peak {await walPeak / 1048576.0:0.0} MiB");
        }

        SinkBacklog? backlog = null;
        if (host is not null)
        {
            // Outcomes are written in batches behind the requests; stopping the host writes the last of them.
            await host.StopAsync();
            backlog = (await host.Services.GetRequiredService<ISinkWorkStore>().GetBacklogAsync(CancellationToken.None)).SingleOrDefault();
            host.Dispose();
        }

        if (timed is not null)
        {
            Console.Error.Write(timed.Report());
        }

        if (options.Instrument)
        {
            Console.Error.Write(ThreadCpu.Report(threadsBefore, threadsAfter));
        }

        if (stats.Distinct < expected)
        {
            return $"FAILED format={options.Format} concurrency={options.Concurrency}: the receiver got {stats.Distinct:N0} of {expected:N0} events "
                + $"and nothing more for {options.StallTimeout.TotalSeconds:0} s (pending {backlog?.Pending}, dead {backlog?.Dead}, last failure: {backlog?.LastFailure?.Error}) load={load}";
        }

        var drain = Stopwatch.GetElapsedTime(stats.FirstRequestAt, stats.LastNewEventAt);
        var sinceStart = Stopwatch.GetElapsedTime(started, stats.LastNewEventAt);
        return string.Create(CultureInfo.InvariantCulture,
            $"forward format={options.Format} concurrency={options.Concurrency} {Describe(options)}{(options.Conversations > 0 ? $" ordered={options.Conversations}" : "")}{(options.InTimeOrder ? " in-time-order" : "")} deliveries={count} "
            + $"events={expected} requests={stats.Requests} drain={drain.TotalSeconds:0.00}s "
            + $"events/s={expected / drain.TotalSeconds:0} requests/s={stats.Requests / drain.TotalSeconds:0} "
            + $"since-start={sinceStart.TotalSeconds:0.00}s gateway-cpu={cpu.TotalSeconds:0.00}s ({cpu.TotalMicroseconds / expected:0}us/event, {100 * systemCpu / cpu:0}% system, {cpu / wall:0.00} cores) "
            + $"receiver-cpu={receiverCpu.TotalSeconds:0.00}s resent={stats.Events - stats.Distinct} dead={backlog?.Dead ?? 0} load={load}");
    }

    /// <summary>The largest size the store's write-ahead log reached, sampled every 100 ms.</summary>
    private static async Task<long> SampleWalAsync(string dataDir, CancellationToken stop)
    {
        var wal = SqliteStoreOptions.ForDataDirectory(dataDir).DatabasePath + "-wal";
        long peak = 0;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, File.Exists(wal) ? new FileInfo(wal).Length : 0);
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }

    private static string Describe(ForwardOptions options) =>
        options.Mode == "gateway" ? $"source={(options.Inbox ? "inbox" : "events")}" : $"mode={options.Mode}";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>
    /// <c>--mode baseline</c>: the same requests through the same <see cref="DestinationClient"/> at the same
    /// concurrency, with no store and no dispatch loop: the ceiling the HTTP part alone allows on this machine.
    /// </summary>
    private static async Task SendDirectlyAsync(DestinationOptions destination, byte[][] bodies)
    {
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var client = new DestinationClient(destination, services.GetRequiredService<IHttpClientFactory>());
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = destination.MaxConcurrency };
        if (destination.Format == DestinationFormat.Meta)
        {
            await Parallel.ForEachAsync(bodies, parallel, async (body, ct) => Check(await client.SendEnvelopeAsync(body, ct)));
        }
        else
        {
            var events = bodies.SelectMany((body, i) => DeliverySplitter.Split(body, i + 1) is { IsSuccess: true } split ? split.Events : []);
            await Parallel.ForEachAsync(events, parallel, async (e, ct) => Check(await client.SendEventAsync(e.Id, EventEnvelope.Write(e), ct)));
        }

        static void Check(DestinationResponse response)
        {
            if (!response.Succeeded)
            {
                throw new InvalidOperationException($"The receiver failed a request: {response.Error}");
            }
        }
    }

    /// <summary>
    /// <c>--mode store-only</c>: the store's side of forwarding with no HTTP: claim up to <c>--batch</c> items, load
    /// and split their deliveries as the dispatch loop does, record a 204 for each, until the backlog is empty, one
    /// batch after the other. Shows what one claim and one record transaction cost, and how that scales with the batch.
    /// </summary>
    private static async Task<string> StoreOnlyAsync(ForwardOptions options, string dataDir, DestinationOptions destination, int count, int expected)
    {
        var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(dataDir));
        await using (store)
        {
            await store.InitializeAsync(CancellationToken.None);
            var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var systemCpuBefore = self.PrivilegedProcessorTime;
            var started = Stopwatch.GetTimestamp();
            long claimTicks = 0, loadTicks = 0, recordTicks = 0, items = 0, transactions = 0;
            var claimEach = new List<double>();
            while (true)
            {
                var t0 = Stopwatch.GetTimestamp();
                var claimed = await store.ClaimDueAsync(destination.SinkName, options.Batch, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), CancellationToken.None);
                var t1 = Stopwatch.GetTimestamp();
                claimTicks += t1 - t0;
                claimEach.Add((t1 - t0) * 1000.0 / Stopwatch.Frequency);
                if (claimed.Count == 0)
                {
                    break;
                }

                // As dispatch does: each claimed event rebuilt from its delivery by its stored locator, split only without one.
                foreach (var fromOneDelivery in claimed.GroupBy(c => c.DeliveryId))
                {
                    var delivery = (await store.GetAsync(fromOneDelivery.Key, CancellationToken.None))!;
                    foreach (var item in fromOneDelivery)
                    {
                        if (item.Event is null || !StoredEvents.TryRebuild(delivery, item.EventId, item.Event, out _))
                        {
                            _ = DeliverySplitter.Split(delivery).Events.Count;
                        }
                    }
                }

                var t2 = Stopwatch.GetTimestamp();
                loadTicks += t2 - t1;
                var now = DateTimeOffset.UtcNow;
                await store.RecordAttemptsAsync(
                    [.. claimed.Select(c => new SinkOutcome(c, new SinkAttempt(c.EventId, c.Sink, c.Attempts + 1, now, TimeSpan.FromMilliseconds(1), true, 204, null, null), null))],
                    CancellationToken.None);
                recordTicks += Stopwatch.GetTimestamp() - t2;
                items += claimed.Count;
                transactions++;
            }

            var wall = Stopwatch.GetElapsedTime(started);
            self.Refresh();
            var cpu = self.TotalProcessorTime - cpuBefore;
            var systemCpu = self.PrivilegedProcessorTime - systemCpuBefore;
            double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency / transactions;
            return string.Create(CultureInfo.InvariantCulture,
                $"store-only batch={options.Batch} deliveries={count} events={expected} items={items} "
                + $"time={wall.TotalSeconds:0.00}s items/s={items / wall.TotalSeconds:0} per batch: claim {Ms(claimTicks):0.000} ms, load+rebuild {Ms(loadTicks):0.000} ms, record {Ms(recordTicks):0.000} ms; "
                + $"claim by tenth of the run: {string.Join(' ', claimEach.Chunk(Math.Max(1, (claimEach.Count + 9) / 10)).Select(c => c.Average().ToString("0.00", CultureInfo.InvariantCulture)))} ms; "
                + $"cpu={cpu.TotalSeconds:0.00}s ({cpu.TotalMicroseconds / items:0}us/item, {100 * systemCpu / cpu:0}% system) load={LoadAverage()}");
        }
    }

    /// <summary>Appends the deliveries through the store; with <paramref name="split"/>, runs the processor over them too.</summary>
    private static async Task PreloadAsync(string dataDir, byte[][] bodies, DestinationOptions destination, bool split)
    {
        var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(dataDir));
        await using (store)
        {
            await store.InitializeAsync(CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            foreach (var chunk in bodies.Chunk(1000))
            {
                await store.AppendAsync([.. chunk.Select(b => new InboundDelivery(b, now, "bench", DeliveryClassifier.Classify(b)))], CancellationToken.None);
            }

            if (split)
            {
                var router = new SinkRouter([new SinkRegistration(destination.SinkName, destination.Filter) { Ordering = destination.Ordering }]);
                var processor = new DeliveryProcessor(store, store, router, new ProcessorOptions { BatchSize = 1000 });
                while ((await processor.ProcessNextBatchAsync(CancellationToken.None)).Deliveries > 0)
                {
                }
            }
        }
    }

    /// <summary>The distinct event ids of the backlog: what the receiver must get.</summary>
    private static int CountEvents(byte[][] bodies, out int total)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        total = 0;
        for (var i = 0; i < bodies.Length; i++)
        {
            var split = DeliverySplitter.Split(bodies[i], i + 1);
            if (!split.IsSuccess)
            {
                continue;
            }

            foreach (var e in split.Events)
            {
                total++;
                ids.Add(e.Id);
            }
        }

        return ids.Count;
    }

    /// <summary>
    /// Suffixes every <c>"id": "…"</c> string: entry (WABA) ids, which every content-hashed key covers, and message
    /// and status ids, which the other keys are made of. Nothing else changes, byte for byte.
    /// </summary>
    private static byte[] MakeUnique(byte[] template, long n) =>
        Encoding.UTF8.GetBytes(IdString().Replace(Encoding.UTF8.GetString(template), m => $"{m.Groups[1].Value}{m.Groups[2].Value}.b{n}\""));

    [GeneratedRegex("(\"id\"\\s*:\\s*\")([^\"\\\\]*)\"")]
    private static partial Regex IdString();

    /// <summary>
    /// <c>--ordered N</c>: makes the delivery's customer (<c>from</c>, <c>wa_id</c>, <c>recipient_id</c>) one of N, so
    /// the backlog spreads over N conversations for a destination ordered per conversation.
    /// </summary>
    private static byte[] InConversation(byte[] body, long conversation) =>
        Encoding.UTF8.GetBytes(CustomerString().Replace(Encoding.UTF8.GetString(body), m => $"{m.Groups[1].Value}4479{conversation:D8}\""));

    [GeneratedRegex("(\"(?:from|wa_id|recipient_id)\"\\s*:\\s*\")([^\"\\\\]*)\"")]
    private static partial Regex CustomerString();

    /// <summary>
    /// <c>--in-time-order</c>: Meta's timestamps rise with the backlog, ten seconds per delivery (and one per timestamp
    /// within it), as in live traffic. Without it every copy of a payload keeps the example's own timestamp, so within
    /// a conversation Meta's order and storage order disagree on almost every event: what an ordered destination
    /// follows is then far from arrival.
    /// </summary>
    private static byte[] InTimeOrder(byte[] body, long n)
    {
        var k = 0;
        return Encoding.UTF8.GetBytes(TimestampString().Replace(Encoding.UTF8.GetString(body), m => $"{m.Groups[1].Value}{1_700_000_000 + (n * 10) + k++}\""));
    }

    [GeneratedRegex("(\"timestamp\"\\s*:\\s*\")(\\d+)\"")]
    private static partial Regex TimestampString();

    private static Process StartReceiver(string self, string url, string format)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { self, "receiver", url, format })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the receiver.");
    }

    private static async Task WaitForReceiverAsync(Process receiver)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await receiver.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("Receiver URL:", StringComparison.Ordinal))
            {
                // Keep draining its output so it never blocks on a full pipe.
                _ = receiver.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = receiver.StandardError.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }

        throw new InvalidOperationException("The receiver exited before it listened: " + await receiver.StandardError.ReadToEndAsync(CancellationToken.None));
    }
}

internal sealed record ForwardOptions(
    string Format, int Concurrency, int Deliveries, int Warmup, string Mode, int Batch, bool Inbox, bool Instrument,
    string DataRoot, string PayloadDirectory, TimeSpan StallTimeout, int Conversations, bool Keep, bool InTimeOrder)
{
    public static ForwardOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var known = new[] { "--format", "--concurrency", "--deliveries", "--warmup", "--mode", "--batch", "--data-root", "--payloads", "--stall-timeout", "--ordered" };
        var flags = new[] { "--inbox", "--instrument", "--keep", "--in-time-order" };
        for (var i = 0; i < args.Length; i++)
        {
            if (known.Contains(args[i]))
            {
                i++;
            }
            else if (!flags.Contains(args[i]))
            {
                throw new ArgumentException(
                    $"Unknown option '{args[i]}'. forward [--format meta|event] [--concurrency 8] [--deliveries 20000] [--warmup 2000] "
                    + "[--mode gateway|baseline|store-only] [--batch N] "
                    + "[--inbox] [--instrument] [--keep] [--in-time-order] [--data-root DIR] [--payloads DIR] [--stall-timeout 60] [--ordered CONVERSATIONS]");
            }
        }

        var format = Value("--format") ?? "meta";
        if (format is not ("meta" or "event"))
        {
            throw new ArgumentException($"--format must be meta or event, not '{format}'.");
        }

        var mode = Value("--mode") ?? "gateway";
        if (mode is not ("gateway" or "baseline" or "store-only"))
        {
            throw new ArgumentException($"--mode must be gateway, baseline or store-only, not '{mode}'.");
        }

        var concurrency = Number("--concurrency", 8);
        return new ForwardOptions(
            format,
            concurrency,
            Number("--deliveries", 20_000),
            Number("--warmup", 2_000),
            mode,
            Number("--batch", concurrency),
            args.Contains("--inbox"),
            args.Contains("--instrument"),
            Value("--data-root") ?? Path.GetTempPath(),
            Value("--payloads") ?? HarnessOptions.DefaultPayloadDirectory(HarnessOptions.FindRepositoryRoot()),
            TimeSpan.FromSeconds(Number("--stall-timeout", 60)),
            Number("--ordered", 0),
            args.Contains("--keep"),
            args.Contains("--in-time-order"));
    }
}
