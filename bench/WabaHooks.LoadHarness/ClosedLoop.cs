using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace WabaHooks.LoadHarness;

/// <summary>
/// One closed-loop measurement: wrk (threads, connections, the pre-signed example payloads in turn) against a server
/// already started, a warm-up first (JIT, tiered compilation, page cache), then the measured run with the server's CPU
/// read from <c>/proc</c> before and after it. Before the load, one correctly signed and one wrongly signed request
/// prove the server checks signatures (skipped for the no-op endpoint, which checks nothing by design).
/// </summary>
internal static partial class ClosedLoop
{
    public static async Task<ClosedLoopResult> RunAsync(
        string name, ServerProcess server, string script, LoadOptions options, UniquePayloads payloads, bool checksSignatures, string? postgresData = null)
    {
        Console.Error.WriteLine($"== {name}");
        var signatureCheck = checksSignatures ? await CheckSignaturesAsync(server.Callback, payloads) : "not checked (no-op)";
        await Wrk(options.Threads, options.Connections, options.Warmup, script, server.BaseUrl);

        var cpuBefore = ProcessCpu.Seconds(server.Id);
        var pgBefore = postgresData is null ? 0 : ProcessCpu.PostgresSeconds(postgresData);
        var output = await Wrk(options.Threads, options.Connections, options.Duration, script, server.BaseUrl);
        var cpu = ProcessCpu.Seconds(server.Id) - cpuBefore;
        var pg = postgresData is null ? (double?)null : ProcessCpu.PostgresSeconds(postgresData) - pgBefore;

        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return new ClosedLoopResult(
            name,
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            requests,
            Milliseconds(Percentile(output, "50")),
            Milliseconds(Percentile(output, "99")),
            ProcessCpu.PeakRssMiB(server.Id),
            Non200Responses().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            requests == 0 ? 0 : cpu * 1e6 / requests,
            pg is { } p && requests > 0 ? p * 1e6 / requests : null,
            signatureCheck);
    }

    /// <summary>A correctly signed body must be answered 200 and a wrongly signed one refused, or the run measures nothing worth comparing.</summary>
    private static async Task<string> CheckSignaturesAsync(Uri callback, UniquePayloads payloads)
    {
        var (good, bad) = await Task.Run(() =>
        {
            using var connection = new RawHttpConnection(new IPEndPoint(IPAddress.Parse(callback.Host), callback.Port));
            var (body, signature) = payloads.Next();
            var wrong = "sha256=" + new string('0', 64);
            return (connection.Send(RawHttpConnection.Request(callback, body, signature)), connection.Send(RawHttpConnection.Request(callback, body, wrong)));
        });
        if (good != 200 || bad is >= 200 and < 300)
        {
            throw new HarnessFailureException($"{callback}: a correctly signed delivery was answered {good} and a wrongly signed one {bad}; the target does not verify as it should, so its figures would mean nothing.");
        }

        return $"signed → {good}, wrong signature → {bad}";
    }

    private static async Task<string> Wrk(int threads, int connections, int seconds, string script, string url)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency", "-s", script, url })
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk is not installed (apt-get install wrk).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        Console.Error.WriteLine(output);
        return output;
    }

    private static string Percentile(string wrkOutput, string percentile) =>
        Regex.Match(wrkOutput, $@"^\s*{percentile}(?:\.000)?%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;

    /// <summary>wrk's "812.00us", "1.56ms", "2.01s" in milliseconds.</summary>
    private static double Milliseconds(string value)
    {
        var match = Duration().Match(value);
        if (!match.Success)
        {
            return double.NaN;
        }

        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => number / 1000,
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            _ => double.NaN,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non200Responses();

    [GeneratedRegex(@"^([\d.]+)(us|ms|s|m)$")]
    private static partial Regex Duration();
}

/// <summary>One closed-loop target's figures; CPU in microseconds per request answered.</summary>
internal sealed record ClosedLoopResult(
    string Name,
    double RequestsPerSecond,
    long Requests,
    double P50Ms,
    double P99Ms,
    double PeakRssMiB,
    long Non200,
    double CpuMicrosPerRequest,
    double? PostgresCpuMicrosPerRequest,
    string SignatureCheck);

/// <summary>The harness itself found the run invalid (a target that does not verify, answers that are not 200): not a result.</summary>
internal sealed class HarnessFailureException(string message) : Exception(message);
