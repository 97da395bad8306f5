using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using WabaHooks.Inbox;
using WabaHooks.Postgres;
using WabaHooks.Processing;
using WabaHooks.Sinks;
using WabaHooks.Sqlite;
using WabaHooks.Storage;

namespace WabaHooks.LoadHarness;

/// <summary>
/// <c>drain</c>: how fast the processor drains a known backlog, in events per second, on PostgreSQL
/// (<c>--postgres CS</c>: a fresh database is created beside the one named, and dropped after) or on SQLite (a fresh
/// temp folder). The backlog is N deliveries of the example payloads in turn, each made unique (every <c>"id"</c>
/// string suffixed, as <c>forward</c> does), appended straight through the store; then the processor runs as
/// <c>serve</c> runs it (batches of 256, routing every event to <c>--sinks</c> destinations) until the inbox is empty.
/// A warm-up drain (<c>--warmup</c> deliveries) comes first, then <c>--rounds</c> measured ones. Wall time and this
/// process's CPU time cover each drain only; with <c>--server-pid</c> (the postmaster's, on this machine) the database
/// server's CPU time over the drain too.
/// </summary>
internal static partial class DrainBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var deliveries = int.Parse(Value("--deliveries") ?? "10000", CultureInfo.InvariantCulture);
        var sinks = int.Parse(Value("--sinks") ?? "1", CultureInfo.InvariantCulture);
        var payloads = Value("--payloads") ?? HarnessOptions.DefaultPayloadDirectory(HarnessOptions.FindRepositoryRoot());
        var postgres = Value("--postgres");
        var warmup = int.Parse(Value("--warmup") ?? "10000", CultureInfo.InvariantCulture);
        var serverPid = Value("--server-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : (int?)null;

        var templates = Directory.GetFiles(payloads, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var rounds = int.Parse(Value("--rounds") ?? "3", CultureInfo.InvariantCulture);
        var warm = Backlog(templates, warmup, offset: 0);

        var database = postgres is null ? null : await CreateDatabaseAsync(postgres);
        var folder = postgres is null ? Directory.CreateTempSubdirectory("wabahooks-process-") : null;
        try
        {
            IWabaHooksStore store = database is not null
                ? new PostgresStore(new PostgresStoreOptions { ConnectionString = database })
                : new SqliteStore(SqliteStoreOptions.ForDataDirectory(folder!.FullName));
            await using (store)
            {
                await store.InitializeAsync(CancellationToken.None);
                var router = new SinkRouter(Enumerable.Range(1, sinks).Select(n => new SinkRegistration($"destination:bench{n}", EventFilter.All)));
                var processor = new DeliveryProcessor(store, store, router, new ProcessorOptions());

                // Drains first to get the JIT past tiering (on a busy machine it takes a while), then the measured rounds
                // on the same database, each on a fresh backlog.
                await AppendAsync(store, warm);
                await DrainAsync(processor);
                for (var round = 1; round <= rounds; round++)
                {
                    await AppendAsync(store, Backlog(templates, deliveries, offset: round * 100_000_000L));
                    var self = Process.GetCurrentProcess();
                    var cpu = self.TotalProcessorTime;
                    var serverCpu = ServerCpu(serverPid);
                    Console.Error.WriteLine($"== round {round}: draining {deliveries:N0} deliveries");
                    var clock = Stopwatch.StartNew();
                    var (processed, stored, duplicates, batches) = await DrainAsync(processor);
                    clock.Stop();
                    self.Refresh();
                    var cpuUs = (self.TotalProcessorTime - cpu).TotalMicroseconds;
                    var serverUs = (ServerCpu(serverPid) - serverCpu).TotalMicroseconds;
                    var server = serverPid is null ? "" : string.Create(CultureInfo.InvariantCulture, $", database server CPU {serverUs / Math.Max(stored, 1):0.0} µs per event");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{(database is null ? "SQLite" : "PostgreSQL")} round {round}: {processed:N0} deliveries, {stored:N0} events stored ({duplicates:N0} duplicates) in {batches} batches, {clock.Elapsed.TotalSeconds:0.00} s: {stored / clock.Elapsed.TotalSeconds:N0} events/s, {processed / clock.Elapsed.TotalSeconds:N0} deliveries/s; gateway CPU {cpuUs / Math.Max(stored, 1):0.0} µs per event{server}; {sinks} sink(s)"));
                }
            }

            return 0;
        }
        finally
        {
            folder?.Delete(recursive: true);
            if (database is not null)
            {
                await DropDatabaseAsync(postgres!, database);
            }
        }
    }

    private static InboundDelivery[] Backlog(byte[][] templates, int count, long offset)
    {
        var now = DateTimeOffset.UtcNow;
        var backlog = new InboundDelivery[count];
        for (var i = 0; i < count; i++)
        {
            var body = MakeUnique(templates[i % templates.Length], offset + i);
            backlog[i] = new InboundDelivery(body, now, "bench", DeliveryClassifier.Classify(body));
        }

        return backlog;
    }

    private static async Task AppendAsync(IWabaHooksStore store, InboundDelivery[] deliveries)
    {
        foreach (var chunk in deliveries.Chunk(500))
        {
            await store.AppendAsync(chunk, CancellationToken.None);
        }
    }

    private static async Task<(int Processed, int Stored, int Duplicates, int Batches)> DrainAsync(DeliveryProcessor processor)
    {
        int processed = 0, stored = 0, duplicates = 0, batches = 0;
        while (await processor.ProcessNextBatchAsync(CancellationToken.None) is { Deliveries: > 0 } report)
        {
            batches++;
            processed += report.Deliveries;
            stored += report.Stored;
            duplicates += report.Duplicates;
        }

        return (processed, stored, duplicates, batches);
    }

    /// <summary>
    /// <c>--server-pid</c>: the CPU time of the database server on this machine (the postmaster named and its children,
    /// the backends among them), from <c>/proc</c>; zero without it.
    /// </summary>
    private static TimeSpan ServerCpu(int? pid)
    {
        if (pid is null)
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var self = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                if (self == pid || int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                // Not a process, or gone meanwhile.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }

    private static async Task<string> CreateDatabaseAsync(string connectionString)
    {
        var name = $"wabahooks_process_{Guid.NewGuid():N}";
        await using (var admin = NpgsqlDataSource.Create(connectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {name};"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }

    private static async Task DropDatabaseAsync(string connectionString, string database)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        await using var admin = NpgsqlDataSource.Create(connectionString);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");
        await drop.ExecuteNonQueryAsync();
    }

    // As forward's backlog: every "id" string suffixed, so no event dedupes against another delivery's.
    private static byte[] MakeUnique(byte[] template, long n) =>
        Encoding.UTF8.GetBytes(IdString().Replace(Encoding.UTF8.GetString(template), m => $"{m.Groups[1].Value}{m.Groups[2].Value}.p{n}\""));

    [GeneratedRegex("(\"id\"\\s*:\\s*\")([^\"\\\\]*)\"")]
    private static partial Regex IdString();
}
