using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace WabaHooks.LoadHarness;

/// <summary>
/// Open loop: request <c>i</c> is due at <c>start + i / rate</c> whatever happened to the earlier ones, as Meta sends
/// whether or not we are slow, and its answer time is measured from that due time, not from when a connection was
/// free to send it — so a stall shows in every request that queued behind it (no coordinated omission). A scheduler
/// thread releases each request when due (sleeping in microseconds between them, never spinning, at a raised priority when the
/// system allows it, so that a busy machine delays the server rather than the schedule); one thread per keep-alive
/// connection sends them, each having built its next body (unique, signed) before it waits, so building costs no
/// answer time.
/// </summary>
internal static partial class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(Uri callback, UniquePayloads payloads, double rate, TimeSpan duration, int connections)
    {
        var total = Math.Max(1, (long)(rate * duration.TotalSeconds));
        var latencyMs = new double[total];
        var sendLateTicks = new long[total];
        var statuses = new int[total];
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var endPoint = new IPEndPoint(IPAddress.Parse(callback.Host), callback.Port);
        var released = new Queue<long>();
        var gate = new object();
        var done = false;

        var pool = new List<RawHttpConnection>();
        for (var c = 0; c < connections; c++)
        {
            var connection = new RawHttpConnection(endPoint);
            connection.Connect();
            pool.Add(connection);
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
        long Due(long i) => start + (long)(i * ticksPerRequest);

        var workers = pool.Select(connection => StartThread("open-loop sender", () =>
        {
            var request = Next(callback, payloads);
            while (true)
            {
                long i;
                lock (gate)
                {
                    while (released.Count == 0 && !done)
                    {
                        Monitor.Wait(gate);
                    }

                    if (!released.TryDequeue(out i))
                    {
                        return;
                    }
                }

                sendLateTicks[i] = Stopwatch.GetTimestamp() - Due(i);
                try
                {
                    statuses[i] = connection.Send(request);
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
                {
                    statuses[i] = -1;
                }

                latencyMs[i] = (Stopwatch.GetTimestamp() - Due(i)) * 1000.0 / Stopwatch.Frequency;
                request = Next(callback, payloads);
            }
        })).ToList();

        var schedulerLate = 0L;
        var schedulerMaxLateTicks = 0L;
        var scheduler = StartThread("open-loop sched", () =>
        {
            _ = SetPriority(0, GetThreadId(), -10); // Refused without the privilege: then it runs at the normal priority.
            _ = SetTimerSlack(29, 1); // PR_SET_TIMERSLACK to 1 ns: a sleep ends when asked, not up to 50 µs later.
            for (var i = 0L; i < total; i++)
            {
                var at = Due(i);
                long now;
                while ((now = Stopwatch.GetTimestamp()) < at)
                {
                    // Sleep out the gap; a wake-up a few microseconds late counts against the server (it is measured
                    // from the due time), one early would flatter it, and spinning would take CPU from it.
                    _ = USleep((uint)Math.Max(1, (at - now) * 1_000_000 / Stopwatch.Frequency));
                }

                var late = now - at;
                schedulerMaxLateTicks = Math.Max(schedulerMaxLateTicks, late);
                if (late > Stopwatch.Frequency / 1000)
                {
                    schedulerLate++;
                }

                lock (gate)
                {
                    released.Enqueue(i);
                    Monitor.Pulse(gate);
                }
            }

            lock (gate)
            {
                done = true;
                Monitor.PulseAll(gate);
            }
        });

        await scheduler;
        var sendingSeconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        await Task.WhenAll(workers);
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        foreach (var connection in pool)
        {
            connection.Dispose();
        }

        Array.Sort(latencyMs);
        return new OpenLoopResult(
            rate,
            total,
            total / sendingSeconds,
            statuses.Count(s => s == 200),
            statuses.Count(s => s != 200),
            schedulerLate,
            schedulerMaxLateTicks * 1000.0 / Stopwatch.Frequency,
            sendLateTicks.Count(t => t > Stopwatch.Frequency / 1000),
            Percentile(latencyMs, 0.50),
            Percentile(latencyMs, 0.99),
            Percentile(latencyMs, 0.999),
            latencyMs[^1],
            clientCpu.TotalMicroseconds / total);
    }

    /// <summary>Closed loop over fresh bodies, <paramref name="connections"/> at once, until <paramref name="count"/> were answered 200: how the processing phase fills an inbox.</summary>
    public static Task PostAsync(Uri callback, UniquePayloads payloads, long count, int connections)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(callback.Host), callback.Port);
        var taken = 0L;
        return Task.WhenAll(Enumerable.Range(0, connections).Select(_ => StartThread("closed-loop sender", () =>
        {
            using var connection = new RawHttpConnection(endPoint);
            while (Interlocked.Increment(ref taken) <= count)
            {
                var status = connection.Send(Next(callback, payloads));
                if (status != 200)
                {
                    throw new HarnessFailureException($"The server answered {status} to a correctly signed delivery.");
                }
            }
        })));
    }

    private static Task StartThread(string name, Action body)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                finished.SetResult();
            }
            catch (Exception ex)
            {
                finished.SetException(ex);
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = name };
        thread.Start();
        return finished.Task;
    }

    private static byte[] Next(Uri callback, UniquePayloads payloads)
    {
        var (body, signature) = payloads.Next();
        return RawHttpConnection.Request(callback, body, signature);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int SetTimerSlack(int option, nuint nanoseconds);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}

/// <summary>What the open-loop phase measured; times in milliseconds from each request's due time.</summary>
internal sealed record OpenLoopResult(
    double TargetRate,
    long Requests,
    double AchievedRate,
    long Ok,
    long NotOk,
    long SchedulerLate,
    double SchedulerMaxLateMs,
    long SentLate,
    double P50,
    double P99,
    double P999,
    double Max,
    double ClientCpuMicrosPerRequest);
