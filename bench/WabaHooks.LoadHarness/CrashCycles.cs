using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using WabaHooks.Events;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>crash-cycles</c>: <c>wabahooks serve</c> (the Release CLI, its own process) on a fresh data folder under load from
/// N connections posting signed example payloads made unique, SIGKILLed every few seconds and restarted on the same
/// folder, C times. Then, with the last server left to catch up, it counts from the store: requests answered 200 vs
/// deliveries stored vs processed vs events, and reports lost (acknowledged but not stored, which must be 0),
/// duplicate deliveries, and acknowledged deliveries missing events.
/// </summary>
/// <remarks>
/// Each request is number n, and its body is template <c>n mod T</c> with every <c>"id"</c> string suffixed with
/// <c>-k{n}</c> (entry ids, wamids, wacids, status ids), so it must give exactly one delivery and events of its own,
/// none a duplicate of another request's: the events it should give are known by splitting the body here. The
/// single-crash test (tests/WabaHooks.Cli.Tests ProcessingCrashTests) kills once after the load; this kills during it.
/// </remarks>
internal static partial class CrashCycles
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        double Number(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var root = HarnessOptions.FindRepositoryRoot();
        var cycles = (int)Number("--cycles", 6);
        var connections = (int)Number("--connections", 16);
        var minUp = Number("--min-up", 2);
        var maxUp = Number("--max-up", 5);
        var seed = (int)Number("--seed", 1);
        var cli = Value("--cli") ?? Path.Combine(root, "src", "WabaHooks.Cli", "bin", "Release", "net10.0", "WabaHooks.Cli.dll");
        var payloads = Value("--payloads") ?? HarnessOptions.DefaultPayloadDirectory(root);
        var templates = Directory.GetFiles(payloads, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        var work = Directory.CreateTempSubdirectory("wabahooks-crash-");
        var dataDir = Path.Combine(work.FullName, "data");
        var random = new Random(seed);

        var acknowledged = new ConcurrentDictionary<int, byte>();
        var answers = new ConcurrentDictionary<string, int>();
        var next = -1;
        var server = await Server.StartAsync(cli, dataDir, work.FullName);
        var clock = Stopwatch.StartNew();
        using var stopLoad = new CancellationTokenSource();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var load = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                var body = Unique(templates[n % templates.Length], n);
                var url = server.Callback;
                string outcome;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Sign(body, Secret));
                    using var response = await client.SendAsync(request, CancellationToken.None);
                    outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.TryAdd(n, 0);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The server was killed under this request, or is not up yet: no answer, as Meta would see it (and retry).
                    outcome = "no answer";
                    await Task.Delay(20);
                }

                answers.AddOrUpdate(outcome, 1, (_, c) => c + 1);
            }
        })).ToArray();

        var downtime = TimeSpan.Zero;
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            await Task.Delay(TimeSpan.FromSeconds(minUp + (random.NextDouble() * (maxUp - minUp))));
            server.Kill();
            var down = Stopwatch.StartNew();
            Console.Error.WriteLine($"   cycle {cycle}: SIGKILL at {clock.Elapsed.TotalSeconds:0.0} s with {acknowledged.Count:N0} acknowledged so far; restarting");
            server = await Server.StartAsync(cli, dataDir, work.FullName);
            downtime += down.Elapsed;
        }

        // A last stretch of load on the last server, then let it catch up.
        await Task.Delay(TimeSpan.FromSeconds(minUp));
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);
        var loadDuration = clock.Elapsed;

        await using (var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(dataDir)))
        {
            var caughtUp = Stopwatch.StartNew();
            while ((await store.ReadUnprocessedAsync(1, CancellationToken.None)).Count > 0 && caughtUp.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(100);
            }

            server.Kill();
            var result = await CountAsync(store, templates, acknowledged.Keys.ToHashSet());
            Print(result, answers, cycles, connections, loadDuration, downtime, caughtUp.Elapsed);
            Directory.Delete(work.FullName, recursive: true);
            return result.Lost == 0 && result.DuplicateDeliveries == 0 && result.MissingEvents == 0 && result.Unprocessed == 0 ? 0 : 1;
        }
    }

    /// <summary>Template n mod T with every "id" string suffixed with -k{n}: a body no other request shares.</summary>
    internal static byte[] Unique(string template, int n) =>
        Encoding.UTF8.GetBytes(IdValue().Replace(template, m => $"{m.Value[..^1]}-k{n.ToString(CultureInfo.InvariantCulture)}\""));

    [GeneratedRegex("\"id\"\\s*:\\s*\"[^\"]*\"")]
    private static partial Regex IdValue();

    [GeneratedRegex("-k(\\d+)\"")]
    private static partial Regex RequestNumber();

    private sealed record Counts(
        int Acknowledged, int StoredDeliveries, int StoredRequests, int Lost, int StoredUnacknowledged, int DuplicateDeliveries,
        int Processed, int Failed, int Unprocessed, int Events, int ExpectedEvents, int MissingEvents, int DuplicateEvents);

    private static async Task<Counts> CountAsync(SqliteStore store, string[] templates, HashSet<int> acknowledged)
    {
        var stored = new Dictionary<int, int>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var deliveries = 0;
        long after = 0;
        while (true)
        {
            var page = await store.ReadAfterAsync(after, 1000, CancellationToken.None);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var delivery in page)
            {
                deliveries++;
                var n = int.Parse(RequestNumber().Match(Encoding.UTF8.GetString(delivery.Body.Span)).Groups[1].Value, CultureInfo.InvariantCulture);
                stored[n] = stored.GetValueOrDefault(n) + 1;
                foreach (var e in DeliverySplitter.Split(delivery.Body, delivery.Id).Events)
                {
                    expected.Add(e.Id);
                }
            }

            after = page[^1].Id;
        }

        var events = new HashSet<string>(StringComparer.Ordinal);
        long? before = null;
        while (true)
        {
            var page = await store.ListEventsAsync(new EventQuery { Limit = 5000, BeforeSequence = before }, CancellationToken.None);
            if (page.Count == 0)
            {
                break;
            }

            events.UnionWith(page.Select(e => e.Id));
            before = page[^1].Sequence;
        }

        var processed = 0;
        var failed = 0;
        var duplicateEvents = 0;
        long? beforeDelivery = null;
        while (true)
        {
            var page = await store.ListDeliveryOutcomesAsync(5000, beforeDelivery, CancellationToken.None);
            if (page.Count == 0)
            {
                break;
            }

            processed += page.Count(o => o.ParseError is null);
            failed += page.Count(o => o.ParseError is not null);
            duplicateEvents += page.Sum(o => o.Duplicates);
            beforeDelivery = page[^1].DeliveryId;
        }

        var unprocessed = (await store.ReadUnprocessedAsync(int.MaxValue, CancellationToken.None)).Count;
        return new Counts(
            acknowledged.Count, deliveries, stored.Count,
            Lost: acknowledged.Count(n => !stored.ContainsKey(n)),
            StoredUnacknowledged: stored.Keys.Count(n => !acknowledged.Contains(n)),
            DuplicateDeliveries: stored.Values.Sum(c => c - 1),
            processed, failed, unprocessed, events.Count, expected.Count,
            MissingEvents: expected.Count(id => !events.Contains(id)),
            duplicateEvents);
    }

    private static void Print(Counts c, ConcurrentDictionary<string, int> answers, int cycles, int connections, TimeSpan load, TimeSpan downtime, TimeSpan catchUp)
    {
        Console.WriteLine();
        Console.WriteLine($"# crash cycles: {cycles} SIGKILLs of `wabahooks serve` (SQLite) under {connections} connections; {Environment.ProcessorCount} cores");
        Console.WriteLine($"load {load.TotalSeconds:N1} s (server down or starting {downtime.TotalSeconds:N1} s of it); answers: {string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value:N0}"))}; caught up {catchUp.TotalSeconds:N1} s after the load");
        Console.WriteLine("| count | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| requests answered 200 (acknowledged) | {c.Acknowledged:N0} |");
        Console.WriteLine($"| deliveries stored | {c.StoredDeliveries:N0} |");
        Console.WriteLine($"| of them stored but never answered (killed before the 200) | {c.StoredUnacknowledged:N0} |");
        Console.WriteLine($"| **lost: acknowledged but not stored** | **{c.Lost:N0}** |");
        Console.WriteLine($"| duplicate deliveries (a request stored twice) | {c.DuplicateDeliveries:N0} |");
        Console.WriteLine($"| deliveries processed | {c.Processed:N0} |");
        Console.WriteLine($"| deliveries failed with a reason | {c.Failed:N0} |");
        Console.WriteLine($"| deliveries left unprocessed | {c.Unprocessed:N0} |");
        Console.WriteLine($"| events stored / expected from the stored deliveries | {c.Events:N0} / {c.ExpectedEvents:N0} |");
        Console.WriteLine($"| events missing | {c.MissingEvents:N0} |");
        Console.WriteLine($"| duplicate events dropped (a delivery processed again after a kill) | {c.DuplicateEvents:N0} |");
    }

    /// <summary>One <c>wabahooks serve</c> process; a new port each start, read from its banner.</summary>
    private sealed class Server
    {
        private readonly Process _process;

        private Server(Process process, Uri callback)
        {
            _process = process;
            Callback = callback;
        }

        public Uri Callback { get; }

        public static async Task<Server> StartAsync(string cli, string dataDir, string workDirectory)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDirectory };
            foreach (var arg in new[] { cli, "serve", "--urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--verify-token", "bench", "--app-secret", Secret })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Callback URL:", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult(e.Data[e.Data.IndexOf("http", StringComparison.Ordinal)..].Trim());
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var callback = await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new Server(process, new Uri(callback));
        }

        /// <summary>SIGKILL: no shutdown hook runs, as in a power cut of the process.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
