using System.Globalization;
using System.Text;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The run's one summary, in Markdown so it can go into the README as it is: the machine, every endpoint's figures,
/// each of issue #19's targets with MET or NOT MET, the open-loop details with the lag curve, the processing drain.
/// Printed to standard output and written to <c>--markdown FILE</c> (default <c>bench/results/load-DATE.md</c>, with
/// the lag curve beside it as CSV).
/// </summary>
internal sealed class Summary(LoadOptions options, MachineInfo machine)
{
    private const double MaxLagMs = 5_000;
    private const double MaxDrainSeconds = 10;

    public ClosedLoopResult NoOp { get; set; } = null!;

    public ClosedLoopResult Node { get; set; } = null!;

    public ClosedLoopResult Sqlite { get; set; } = null!;

    public ClosedLoopResult ReceiveOnly { get; set; } = null!;

    public ClosedLoopResult? Postgres { get; set; }

    /// <summary>The store after the parked run: how many deliveries the processor took anyway (its first batch only, if parked).</summary>
    public LagReading Parked { get; set; } = null!;

    public OpenLoopResult OpenLoopFloor { get; set; } = null!;

    public OpenLoopPhaseResult OpenLoop { get; set; } = null!;

    public ProcessingFigures Processing { get; set; } = null!;

    public double WallSeconds { get; set; }

    /// <summary>Prints and writes the summary; false when the run is not valid (answers other than 200).</summary>
    public bool Write()
    {
        var text = new StringBuilder();
        var invalid = Build(text);
        Console.WriteLine();
        Console.Write(text);

        var file = options.Markdown ?? Path.Combine(HarnessOptions.FindRepositoryRoot(), "bench", "results", $"load-{machine.Date:yyyyMMdd-HHmmss}.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file, text.ToString());
        var csv = Path.ChangeExtension(file, null) + "-lag.csv";
        File.WriteAllLines(csv, ["second,stored,unprocessed,oldest_unprocessed_ms", .. OpenLoop.Lag.Select(s => F($"{s.Second},{s.Reading.Stored},{s.Reading.Unprocessed},{s.Reading.OldestAgeMs}"))]);
        Console.WriteLine();
        Console.WriteLine($"Written to {file} (lag curve: {csv}).");
        if (invalid.Count > 0)
        {
            Console.WriteLine("INVALID RUN (not a result): " + string.Join("; ", invalid));
        }

        return invalid.Count == 0;
    }

    private List<string> Build(StringBuilder md)
    {
        var invalid = new List<string>();
        var quick = options.Quick ? " — `--quick` smoke run, figures not meaningful" : "";
        md.AppendLine(F($"### `bench/load.sh`, {machine.Date:yyyy-MM-dd HH:mm} UTC{quick}"));
        md.AppendLine();
        md.AppendLine(F($"Machine: {machine.Cores} cores, {machine.CpuModel}; {machine.Kernel}; {machine.Runtime}. Commit {machine.Commit}."));
        md.AppendLine(F($"Load average before the run {machine.LoadBefore}, after {MachineInfo.LoadAverage()} (1, 5, 15 min); the run took {WallSeconds / 60:0.0} min."));
        md.AppendLine(F($"Closed loop: wrk, {options.Threads} threads, {options.Connections} connections, {options.Warmup} s warm-up then {options.Duration} s, the {Directory.GetFiles(options.PayloadDirectory, "*.json").Length} example payloads in turn, pre-signed; client and server share the machine. The no-op endpoint runs under `serve`'s runtime configuration (thread pool, GC); Node.js is one process, as in the issue."));
        md.AppendLine();

        md.AppendLine("| endpoint | req/s | p50 | p99 | server CPU / request | peak RSS | non-200 |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in new[] { NoOp, Node, Sqlite, ReceiveOnly, Postgres }.OfType<ClosedLoopResult>())
        {
            var pg = r.PostgresCpuMicrosPerRequest is { } cluster ? F($" + {cluster:N0} µs PostgreSQL") : "";
            md.AppendLine(F($"| {r.Name} | {r.RequestsPerSecond:N0} | {Ms(r.P50Ms)} | {Ms(r.P99Ms)} | {r.CpuMicrosPerRequest:N0} µs{pg} | {r.PeakRssMiB:N0} MiB | {r.Non200:N0} |"));
            if (r.Non200 > 0)
            {
                invalid.Add($"{r.Name} answered {r.Non200:N0} requests with a status other than 200");
            }
        }

        var load = OpenLoop.Load;
        md.AppendLine(F($"| `serve`, SQLite, open loop at {load.TargetRate:N0} req/s ({options.OpenLoopFraction:P0} of its peak), unique deliveries | {load.AchievedRate:N0} | {Ms(load.P50)} | {Ms(load.P99)} | {OpenLoop.ServerCpuMicrosPerRequest:N0} µs | {OpenLoop.PeakRssMiB:N0} MiB | {load.NotOk:N0} |"));
        var floor = OpenLoopFloor;
        md.AppendLine(F($"| no-op endpoint, the same open loop for {floor.Requests / floor.TargetRate:0} s (the client's and the machine's floor) | {floor.AchievedRate:N0} | {Ms(floor.P50)} | {Ms(floor.P99)} | | | {floor.NotOk:N0} |"));
        if (load.NotOk > 0 || floor.NotOk > 0)
        {
            invalid.Add($"the open loop had {load.NotOk + floor.NotOk:N0} answers other than 200");
        }

        md.AppendLine();
        md.AppendLine("| target (issue #19) | goal | measured | |");
        md.AppendLine("|---|---|---:|---|");
        Target(md, "durable ingest ÷ no-op (`serve` SQLite, processor running)", "≥ 0.60×", Sqlite.RequestsPerSecond / NoOp.RequestsPerSecond, 0.6, higherIsBetter: true, "0.000×");
        if (Postgres is not null)
        {
            Target(md, "PostgreSQL ingest ÷ SQLite ingest", "≥ 0.80×", Postgres.RequestsPerSecond / Sqlite.RequestsPerSecond, 0.8, higherIsBetter: true, "0.000×");
        }
        else
        {
            md.AppendLine("| PostgreSQL ingest ÷ SQLite ingest | ≥ 0.80× | not run (no PostgreSQL) | NOT MEASURED |");
        }

        Target(md, "`serve` SQLite ÷ raw Node.js HMAC endpoint", "> 1.00× (ahead)", Sqlite.RequestsPerSecond / Node.RequestsPerSecond, 1.0, higherIsBetter: true, "0.000×", strict: true);
        var parkedProcessed = Parked.Stored - Parked.Unprocessed;
        if (parkedProcessed > Parked.Stored * 0.02 + 300)
        {
            invalid.Add($"the processor was not parked in the receive-only run: it processed {parkedProcessed:N0} of {Parked.Stored:N0} deliveries");
        }

        Target(md, F($"receive path CPU (processor parked: {parkedProcessed:N0} of {Parked.Stored:N0} deliveries processed)"), "≤ 40 µs/request", ReceiveOnly.CpuMicrosPerRequest, 40, higherIsBetter: false, "0 µs");
        Target(md, F($"processing CPU ({Processing.EventsPerDelivery:0.00} events/delivery)"), "≤ 20 µs/delivery", Processing.CpuMicrosPerDelivery, 20, higherIsBetter: false, "0 µs");
        Target(md, "open-loop p99 (from each request's due time)", "≤ 10 ms", load.P99, 10, higherIsBetter: false, "0.0 ms");
        Target(md, "open-loop p99.9", "≤ 50 ms", load.P999, 50, higherIsBetter: false, "0.0 ms");
        var maxLag = OpenLoop.Lag.Count == 0 ? 0 : OpenLoop.Lag.Max(s => s.Reading.OldestAgeMs);
        var drained = OpenLoop.DrainedAfter?.TotalSeconds;
        var keepsUp = maxLag <= MaxLagMs && drained is <= MaxDrainSeconds;
        md.AppendLine(F($"| processor keeps up at {options.OpenLoopFraction:P0} of peak (oldest unprocessed delivery; drain after the load) | ≤ {MaxLagMs / 1000:0} s throughout, drained ≤ {MaxDrainSeconds:0} s | {maxLag / 1000.0:0.0} s max; drained in {(drained is { } d ? F($"{d:0.0} s") : "> 120 s")} | {(keepsUp ? "MET" : "NOT MET")} |"));
        var peakRss = new[] { Sqlite, ReceiveOnly, Postgres }.OfType<ClosedLoopResult>().Max(r => r.PeakRssMiB);
        Target(md, "peak RSS of `serve` under load", "≤ 150 MiB", Math.Max(peakRss, OpenLoop.PeakRssMiB), 150, higherIsBetter: false, "0.0 MiB");
        md.AppendLine();

        md.AppendLine(F($"Open loop: {load.Requests:N0} requests due at {load.TargetRate:N0}/s over {options.OpenLoopDuration} s on {options.OpenLoopConnections} keep-alive connections, each body unique (every event is new to the store) and signed; sent at {load.AchievedRate:N0}/s; {load.Ok:N0} answered 200, {load.NotOk:N0} not. Answer times from each request's due time (no coordinated omission): p50 {Ms(load.P50)}, p99 {Ms(load.P99)}, p99.9 {Ms(load.P999)}, max {Ms(load.Max)}. The client: released {load.SchedulerLate:N0} requests more than 1 ms late (worst {load.SchedulerMaxLateMs:0.0} ms); {load.SentLate:N0} started more than 1 ms after their due time (late release or every connection busy with an earlier answer); {load.ClientCpuMicrosPerRequest:N0} µs of its CPU per request. The same client against the no-op endpoint at the same rate: p99 {Ms(floor.P99)}, p99.9 {Ms(floor.P999)}, max {Ms(floor.Max)}; {floor.SentLate:N0} of {floor.Requests:N0} started more than 1 ms late."));
        md.AppendLine();
        md.AppendLine("Processor lag during the open loop (read from the SQLite file each second; full curve in the CSV):");
        md.AppendLine();
        md.AppendLine("| second | deliveries stored | not yet processed | oldest waiting |");
        md.AppendLine("|---:|---:|---:|---:|");
        var step = Math.Max(1, OpenLoop.Lag.Count / 12);
        foreach (var (second, reading) in OpenLoop.Lag.Where((_, i) => i % step == step - 1 || i == OpenLoop.Lag.Count - 1).Distinct())
        {
            md.AppendLine(F($"| {second} | {reading.Stored:N0} | {reading.Unprocessed:N0} | {reading.OldestAgeMs:N0} ms |"));
        }

        md.AppendLine();
        var p = Processing;
        md.AppendLine(F($"Processing: `serve` with the processor parked took {p.Small.Backlog:N0} and then {p.Large.Backlog:N0} unique deliveries; restarted normally, it drained them in {p.Small.Seconds:0.0} s ({p.Small.CpuSeconds:0.00} s CPU) and {p.Large.Seconds:0.0} s ({p.Large.CpuSeconds:0.00} s CPU). The difference — {p.Deliveries:N0} deliveries, {p.EventsPerDelivery:0.00} events each — cost {p.CpuMicrosPerDelivery:N0} µs of CPU per delivery ({p.CpuMicrosPerDelivery / p.EventsPerDelivery:N0} µs per event) at {p.DeliveriesPerSecond:N0} deliveries/s ({p.DeliveriesPerSecond * p.EventsPerDelivery:N0} events/s); start-up and JIT cancel out."));
        md.AppendLine();
        md.AppendLine("Server CPU per request is the server process's user + system time over the measured run ÷ requests answered (for PostgreSQL, the cluster's processes as well); with the processor running it includes processing the deliveries it kept up with. The closed-loop payloads repeat (wrk sends a fixed pre-signed set), so there the processor mostly drops duplicates; the open-loop and processing phases send unique deliveries.");
        return invalid;
    }

    private static void Target(StringBuilder md, string name, string goal, double value, double limit, bool higherIsBetter, string format, bool strict = false)
    {
        var met = higherIsBetter ? (strict ? value > limit : value >= limit) : value <= limit;
        var shown = double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";
        md.AppendLine(F($"| {name} | {goal} | {shown} | {(double.IsFinite(value) ? (met ? "MET" : "NOT MET") : "NOT MEASURED")} |"));
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms < 10 ? F($"{ms:0.00} ms") : F($"{ms:0.0} ms");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
