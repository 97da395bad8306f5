using System.Diagnostics;
using System.Net.Sockets;

namespace WabaHooks.Testing.Brokers;

/// <summary>
/// A broker server run as a child process for the tests, on a loopback port: started, killed with SIGKILL (as a crash
/// would), and started again on the same port and data.
/// </summary>
internal sealed class BrokerProcess(string name, string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logFile)
{
    private Process? _process;

    /// <summary>Starts the server, and returns once <paramref name="port"/> accepts connections.</summary>
    /// <exception cref="TimeoutException">It did not within <paramref name="bound"/>; the message holds the end of its log.</exception>
    public async Task StartAsync(int port, TimeSpan bound)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        _process = process;
        // Drained into the log, so a full pipe never stalls the server.
        _ = CopyAsync(process.StandardOutput);
        _ = CopyAsync(process.StandardError);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < bound)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} while starting: {Tail()}");
            }

            if (await AcceptsAsync(port))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{name} did not accept connections on 127.0.0.1:{port} within {bound.TotalSeconds} s: {Tail()}");
    }

    /// <summary>Kills <paramref name="pid"/> (or the process started) with SIGKILL and waits until it is gone.</summary>
    public async Task KillAsync(int? pid = null)
    {
        var target = pid is { } id ? Process.GetProcessById(id) : _process;
        if (target is null || target.HasExited)
        {
            return;
        }

        target.Kill(entireProcessTree: true);
        await target.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (_process is { HasExited: false } started && started != target)
        {
            started.Kill(entireProcessTree: true);
            await started.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private async Task CopyAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (this)
                {
                    File.AppendAllText(logFile, line + "\n");
                }
            }
        }
        catch (IOException)
        {
            // The process is gone; what it wrote is in the log.
        }
    }

    private string Tail()
    {
        lock (this)
        {
            return File.Exists(logFile) ? string.Join(" | ", File.ReadLines(logFile).TakeLast(15)) : "(no output)";
        }
    }
}
