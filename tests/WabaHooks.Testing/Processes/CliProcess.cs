using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace WabaHooks.Testing.Processes;

/// <summary>
/// The real <c>wabahooks</c> program (WabaHooks.Cli.dll beside the test binaries) — or another program built beside
/// them, see <see cref="StartDll"/> — as a child process, with its output captured and every wait bounded.
/// </summary>
public sealed partial class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The path of WabaHooks.Cli.dll.</summary>
    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "WabaHooks.Cli.dll");

    /// <summary>Everything written to standard output so far.</summary>
    public string StandardOutput => string.Join('\n', _stdout);

    /// <summary>Everything written to standard error so far.</summary>
    public string StandardError => string.Join('\n', _stderr);

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Starts <c>wabahooks</c> with arguments, in a working folder, with extra environment variables.</summary>
    public static CliProcess Start(IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        // serve's admin listener (admin API, /metrics) takes a free port unless the test chooses: its default,
        // 127.0.0.1:8081, is one port for every test running at once. Only for wabahooks.
        var withDefaults = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        withDefaults.TryAdd("WabaHooks__Admin__Urls", "http://127.0.0.1:0");
        return StartDll(CliPath, arguments, workingDirectory, withDefaults);
    }

    /// <summary>
    /// Starts another .NET program with <c>dotnet</c>, the same way as <c>wabahooks</c>: for test hosts that embed the
    /// library and are built beside the test binaries (a project reference copies them there).
    /// </summary>
    /// <param name="dll">The program's dll: a file name beside the test binaries, or a full path.</param>
    /// <param name="arguments">Its command-line arguments.</param>
    /// <param name="workingDirectory">Its working folder; default the test binaries' folder.</param>
    /// <param name="environment">Extra environment variables; <c>WABAHOOKS*</c> variables of the test's own environment are removed first.</param>
    public static CliProcess StartDll(string dll, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, dll);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{dll} is not beside the test binaries: reference its project from the test project.", path);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A clean environment for WabaHooks' own keys, so a developer's shell cannot change a test's outcome.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WABAHOOKS", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Telemetry export stays off unless a test asks: a developer's OTLP endpoint must not receive test traffic.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { cli._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { cli._stderr.Enqueue(e.Data); } };
        process.Exited += (_, _) => cli._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs a command to its end and returns its exit code and output.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        await using var cli = Start(arguments, workingDirectory, environment);
        var code = await cli.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return new CliResult(code, cli.StandardOutput, cli.StandardError);
    }

    /// <summary>Runs a command and returns its standard output as raw bytes (for <c>--raw</c>).</summary>
    public static async Task<(int ExitCode, byte[] Output)> RunForBytesAsync(IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory };
        info.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cts.Token);
        var errors = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        await copy;
        await errors;
        return (process.ExitCode, output.ToArray());
    }

    /// <summary>Waits until a line of standard output contains <paramref name="text"/>, and returns that line.</summary>
    /// <exception cref="TimeoutException">It did not appear in time, or the process ended first.</exception>
    public Task<string> WaitForOutputAsync(string text, TimeSpan timeout) => WaitForLineAsync(_stdout, text, timeout);

    /// <summary>Waits until a line of standard error contains <paramref name="text"/>, and returns that line.</summary>
    /// <exception cref="TimeoutException">It did not appear in time, or the process ended first.</exception>
    public Task<string> WaitForErrorOutputAsync(string text, TimeSpan timeout) => WaitForLineAsync(_stderr, text, timeout);

    private async Task<string> WaitForLineAsync(ConcurrentQueue<string> lines, string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var line = lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (HasExited)
            {
                break;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"'{text}' did not appear within {timeout}. Exited: {HasExited}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
    }

    /// <summary>Starts <c>serve</c> and waits until it listens; returns the process and its callback URL.</summary>
    public static async Task<(CliProcess Process, Uri CallbackUrl)> StartServeAsync(IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var process = Start(["serve", .. arguments], workingDirectory, environment);
        try
        {
            var line = await process.WaitForOutputAsync("Callback URL:", TimeSpan.FromSeconds(60));
            // The banner's last line: tests read the whole banner (store, credentials) once this returns.
            await process.WaitForOutputAsync("See what arrived:", TimeSpan.FromSeconds(10));
            return (process, new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim()));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It is still running after <paramref name="timeout"/>; it is then killed.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"The process did not exit within {timeout}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        // Exited fires before the redirected streams are drained; WaitForExit() waits for them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once (SIGKILL): no shutdown code runs — a crash.</summary>
    public void Kill()
    {
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), as a service manager does.</summary>
    public void Terminate()
    {
        if (!HasExited && kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Reported by the test that cared; disposal never hangs.
        }

        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}

/// <summary>How a finished command ended.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StandardOutput">Everything printed to standard output.</param>
/// <param name="StandardError">Everything printed to standard error.</param>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError);
