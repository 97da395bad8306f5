using System.Diagnostics;
using WabaHooks.Destinations;
using WabaHooks.Events;

namespace WabaHooks.Benchmarks;

/// <summary>
/// Process CPU time per narrowing, the two ways of <see cref="NarrowBenchmarks"/> interleaved in one process: on a
/// loaded machine CPU time per operation says more than wall time, which includes waiting for a core.
/// </summary>
internal static class NarrowCpu
{
    private const int Rounds = 20;
    private const int PerRound = 5_000;

    public static void Run()
    {
        foreach (var payload in (string[])["messages-batched-mixed.json", NarrowBenchmarks.TenTimes])
        {
            var delivery = NarrowBenchmarks.Load(payload);
            var carried = NarrowBenchmarks.Carried(delivery);
            Func<int> before = () => MetaEnvelope.Narrow(delivery.Body, DeliverySplitter.Split(delivery).Events, carried).Length;
            Func<int> after = () => MetaEnvelope.Narrow(delivery.Body, carried).Length;

            // The floor the positional narrowing builds on: parsing the body and nothing else.
            Func<int> parse = () =>
            {
                using var document = System.Text.Json.JsonDocument.Parse(delivery.Body);
                return (int)document.RootElement.ValueKind;
            };
            double bestBefore = double.MaxValue, bestAfter = double.MaxValue, sumBefore = 0, sumAfter = 0, sumParse = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var b = CpuMicrosecondsPerCall(before);
                var a = CpuMicrosecondsPerCall(after);
                sumParse += CpuMicrosecondsPerCall(parse);
                (bestBefore, bestAfter, sumBefore, sumAfter) = (Math.Min(bestBefore, b), Math.Min(bestAfter, a), sumBefore + b, sumAfter + a);
            }

            Console.WriteLine($"{payload} ({carried.Length} events carried): split + narrow {sumBefore / Rounds:F2} us CPU (best {bestBefore:F2}); " +
                $"by stored positions {sumAfter / Rounds:F2} us CPU (best {bestAfter:F2}); ratio {sumAfter / sumBefore:F2}; " +
                $"JsonDocument.Parse alone {sumParse / Rounds:F2} us CPU");
        }
    }

    private static double CpuMicrosecondsPerCall(Func<int> call)
    {
        var sink = 0;
        var start = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < PerRound; i++)
        {
            sink += call();
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - start;
        GC.KeepAlive(sink);
        return cpu.TotalMicroseconds / PerRound;
    }
}
