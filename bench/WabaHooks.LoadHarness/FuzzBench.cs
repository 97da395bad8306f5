using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.Hosting;
using WabaHooks.Signatures;
using WabaHooks.Sqlite;
using WabaHooks.Testing.Fuzzing;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>fuzz</c>: the CI fuzz test's generator and checks (<see cref="PipelineFuzzer"/>, linked from
/// tests/WabaHooks.Testing), longer and with any seed, against the gateway in this process (<c>MapWabaHooks</c> on
/// Kestrel at 127.0.0.1, <c>UseSqlite</c> on a fresh folder). Prints answers by status, deliveries processed and
/// failed, log lines at Error or above, durations, and every property that did not hold with its reproduction.
/// </summary>
/// <remarks>
/// <c>--case N</c> writes case N of the seed to stdout (or <c>--out FILE</c>) and exits: how a failure with a long body
/// is reproduced. <c>--narrow-only</c> skips the gateway and runs the splitter and envelope narrowing straight over the
/// mutated bodies, which reaches narrowing even while the processor would stop at a poison delivery.
/// </remarks>
internal static class FuzzBench
{
    private const string AppSecretValue = "0123456789abcdef0123456789abcdef";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int IntValue(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var seed = IntValue("--seed", 1);
        var count = IntValue("--count", 100_000);
        var connections = IntValue("--connections", 8);
        var processTimeout = TimeSpan.FromSeconds(IntValue("--process-timeout", 120));
        var payloads = Value("--payloads") ?? HarnessOptions.DefaultPayloadDirectory(HarnessOptions.FindRepositoryRoot());
        var limit = WabaHooksOptions.DefaultMaxBodyBytes;
        var mutator = new PayloadMutator(seed, PayloadMutator.ReadTemplates(payloads), limit);

        if (Value("--case") is { } caseText)
        {
            var fuzzCase = mutator.Make(int.Parse(caseText, CultureInfo.InvariantCulture));
            Console.Error.WriteLine($"seed {seed}, case {fuzzCase.Index}, from {fuzzCase.Template}: {string.Join("; ", fuzzCase.Mutations)}");
            if (Value("--out") is { } file)
            {
                await File.WriteAllBytesAsync(file, fuzzCase.Body);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(fuzzCase.Body);
            }

            return 0;
        }

        if (args.Contains("--narrow-only"))
        {
            return NarrowOnly(mutator, seed, count);
        }

        var dataDir = Directory.CreateDirectory(Path.Combine(Value("--data-root") ?? Path.GetTempPath(), $"wabahooks-fuzz-{Guid.NewGuid():N}")).FullName;
        var logs = new ErrorLog();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services
            .AddWabaHooks(o =>
            {
                o.VerifyToken = "bench";
                o.AppSecrets.Add(new AppSecret("bench", AppSecretValue));
            })
            .UseSqlite(dataDir);
        await using var app = builder.Build();
        app.MapWabaHooks("/webhook");
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var fuzzer = new PipelineFuzzer(new Uri(new Uri(address), "/webhook"), AppSecretValue, app.Services.GetRequiredService<SqliteStore>(), mutator, limit);
            Console.Error.WriteLine($"== fuzz: seed {seed}, {count:N0} bodies, {connections} connections, data in {dataDir}");
            var clock = Stopwatch.StartNew();
            await fuzzer.PostAsync(count, connections, CancellationToken.None);
            await fuzzer.WaitForProcessingAsync(processTimeout, CancellationToken.None);
            await fuzzer.CheckGoodDeliveryAsync(await File.ReadAllBytesAsync(Path.Combine(payloads, "messages-text.json")), TimeSpan.FromSeconds(10), CancellationToken.None);
            await fuzzer.CheckNarrowingAsync(CancellationToken.None);
            var report = fuzzer.Report;
            foreach (var line in logs.Lines)
            {
                report.Fail("logged", line);
            }

            Print(report, seed, count, connections, clock.Elapsed, logs.Count);
            return report.FailureCount == 0 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static void Print(FuzzReport report, int seed, int count, int connections, TimeSpan total, int errorLines)
    {
        Console.WriteLine();
        Console.WriteLine($"# fuzz: seed {seed}, {count:N0} bodies, {connections} connections; {Environment.ProcessorCount} cores, load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| what | count |");
        Console.WriteLine("|---|---:|");
        foreach (var (status, n) in report.Answers.OrderBy(a => a.Key))
        {
            Console.WriteLine($"| answered {(status == 0 ? "nothing (connection failed)" : status.ToString(CultureInfo.InvariantCulture))} | {n:N0} |");
        }

        Console.WriteLine($"| deliveries stored | {report.Stored:N0} |");
        Console.WriteLine($"| processed | {report.Processed:N0} |");
        Console.WriteLine($"| failed with a reason | {report.Failed:N0} |");
        Console.WriteLine($"| left unprocessed | {report.Unprocessed:N0} |");
        Console.WriteLine($"| events stored | {report.Events:N0} |");
        Console.WriteLine($"| narrowed envelopes checked | {report.Narrowings:N0} (from {report.Narrowed:N0} deliveries) |");
        Console.WriteLine($"| log lines at Error or Critical | {errorLines:N0} |");
        Console.WriteLine($"| good delivery afterwards processed in | {(report.GoodDeliveryLatency is { } l ? $"{l.TotalMilliseconds:N0} ms" : "never")} |");
        Console.WriteLine($"| properties broken | {report.FailureCount:N0} |");
        Console.WriteLine();
        Console.WriteLine($"duration: {total.TotalSeconds:N1} s (posting {report.PostDuration.TotalSeconds:N1} s, {count / report.PostDuration.TotalSeconds:N0} bodies/s; until processed {report.ProcessDuration.TotalSeconds:N1} s; narrowing {report.NarrowDuration.TotalSeconds:N1} s)");
        foreach (var failure in report.Failures)
        {
            Console.WriteLine("- " + failure);
        }
    }

    private static int NarrowOnly(PayloadMutator mutator, int seed, int count)
    {
        var clock = Stopwatch.StartNew();
        var envelopes = 0;
        var failed = 0;
        var byKind = new ConcurrentDictionary<string, (int Count, string First)>();
        Parallel.For(0, count, index =>
        {
            var fuzzCase = mutator.Make(index);
            var (built, failure) = NarrowingCheck.Run(fuzzCase.Body, index);
            Interlocked.Add(ref envelopes, built);
            if (failure is not null)
            {
                Interlocked.Increment(ref failed);
                // Grouped by what failed and where (the check's words and the first frame of any stack), so one
                // defect's thousand cases do not hide another's one.
                var kind = KindOf(failure);
                byKind.AddOrUpdate(kind, _ => (1, $"{failure}; {fuzzCase.Describe()}"), (_, v) => (v.Count + 1, v.First));
            }
        });
        Console.WriteLine($"# narrow-only: seed {seed}, {count:N0} bodies, {envelopes:N0} narrowed envelopes checked, {failed:N0} failures, {clock.Elapsed.TotalSeconds:N1} s");
        foreach (var (kind, (n, first)) in byKind.OrderByDescending(k => k.Value.Count))
        {
            Console.WriteLine($"- {n:N0} x {kind}");
            Console.WriteLine("    first: " + first);
        }

        return failed == 0 ? 0 : 1;
    }

    private static string KindOf(string failure)
    {
        var lines = failure.Split('\n');
        var frame = lines.Skip(1).FirstOrDefault(l => l.Contains("WabaHooks.", StringComparison.Ordinal))?.Trim() ?? "";
        var head = lines[0];
        var cut = head.IndexOfAny([':', '(']);
        return (cut > 0 ? head[..cut] : head[..Math.Min(head.Length, 60)]) + (frame.Length > 0 ? " " + frame[..Math.Min(frame.Length, 120)] : "");
    }

    /// <summary>Keeps what the gateway logs at Error or Critical: any such line is a finding.</summary>
    private sealed class ErrorLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private int _count;

        public int Count => _count;

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ErrorLog owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error && Interlocked.Increment(ref owner._count) <= 1000)
                {
                    owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
                }
            }
        }
    }
}
