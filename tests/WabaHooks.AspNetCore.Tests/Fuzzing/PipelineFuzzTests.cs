using System.Globalization;
using WabaHooks.Hosting;
using WabaHooks.Testing;
using WabaHooks.Testing.Fuzzing;

namespace WabaHooks.AspNetCore.Tests.Fuzzing;

/// <summary>
/// The whole pipeline under mutated, correctly signed bodies: receive (classifier, store), processor (split, typing,
/// status view, sink work) and envelope narrowing. A fixed seed, so CI runs the same bodies every time; set
/// <c>WABAHOOKS_FUZZ_SEED</c> (and <c>WABAHOOKS_FUZZ_COUNT</c>) to explore others. <c>bench/fuzz.sh</c> runs the same
/// generator longer.
/// </summary>
public sealed class PipelineFuzzTests
{
    private const int DefaultSeed = 10_2026;
    private const int DefaultCount = 20_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fuzzed_signed_bodies_are_all_answered_200_stored_and_given_an_outcome_and_a_good_delivery_after_them_is_processed()
    {
        var seed = FromEnvironment("WABAHOOKS_FUZZ_SEED", DefaultSeed);
        var count = FromEnvironment("WABAHOOKS_FUZZ_COUNT", DefaultCount);
        using var dir = new FuzzDataDirectory();
        await using var gateway = await TestGateway.StartAsync(dir.Path);
        var limit = WabaHooksOptions.DefaultMaxBodyBytes;
        var mutator = new PayloadMutator(seed, ExamplePayloads.Names.Select(n => (n, ExamplePayloads.Read(n))), limit);
        var fuzzer = new PipelineFuzzer(new Uri(gateway.Client.BaseAddress!, "/webhook"), TestGateway.SecretA, gateway.Store, mutator, limit);

        // A few connections, as Meta uses: enough to exercise group commit and the processor racing the inbox.
        await fuzzer.PostAsync(count, connections: 8, Ct);
        await fuzzer.WaitForProcessingAsync(TimeSpan.FromSeconds(30), Ct);
        await fuzzer.CheckGoodDeliveryAsync(ExamplePayloads.Read("messages-text.json"), TimeSpan.FromSeconds(10), Ct);
        await fuzzer.CheckNarrowingAsync(Ct);
        var report = fuzzer.Report;
        var errors = gateway.Logs.Lines.Where(IsErrorOrCritical).ToList();
        foreach (var line in errors)
        {
            report.Fail("logged", line);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: {report.Summary()}");
        Assert.True(report.FailureCount == 0,
            $"Fuzzing with seed {seed} ({count} bodies) broke {report.FailureCount} properties. {report.Summary()}\n" +
            string.Join("\n", report.Failures.Select(f => "- " + f)));
        Assert.Equal(count, report.Posted);
    }

    /// <summary>
    /// The store in memory-backed /dev/shm where there is one: this test proves what the pipeline does with odd content,
    /// not durability (the crash tests do), and an fsync per group commit on a busy CI disk would take most of its
    /// time budget. It is still the real SQLite store, in WAL mode, on a file.
    /// </summary>
    private sealed class FuzzDataDirectory : IDisposable
    {
        public FuzzDataDirectory()
        {
            var root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
            Path = Directory.CreateDirectory(System.IO.Path.Combine(root, "wabahooks-fuzz-" + Guid.NewGuid().ToString("N"))).FullName;
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static bool IsErrorOrCritical(string line) =>
        line.StartsWith("Error:", StringComparison.Ordinal) || line.StartsWith("Critical:", StringComparison.Ordinal);

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
