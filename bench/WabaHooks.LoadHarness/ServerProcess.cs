using System.Diagnostics;

namespace WabaHooks.LoadHarness;

/// <summary>
/// A server the harness starts (the no-op endpoint, the Node.js endpoint, <c>wabahooks serve</c>): ready once it prints
/// its <c>Callback URL:</c> line, stopped with SIGTERM (as a service manager would), killed if it does not stop.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string callbackUrl)
    {
        _process = process;
        CallbackUrl = callbackUrl;
    }

    public int Id => _process.Id;

    /// <summary>The full callback URL, e.g. <c>http://127.0.0.1:5000/webhook</c>.</summary>
    public string CallbackUrl { get; }

    /// <summary>The URL without the callback path: what wrk is given.</summary>
    public string BaseUrl => CallbackUrl[..CallbackUrl.LastIndexOf("/webhook", StringComparison.Ordinal)];

    public Uri Callback => new(CallbackUrl);

    public static async Task<ServerProcess> StartAsync(
        IReadOnlyList<string> command, string workDirectory, IReadOnlyDictionary<string, string>? environment = null, bool echoErrors = true)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDirectory };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Callback URL:", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult(e.Data[e.Data.IndexOf("http", StringComparison.Ordinal)..].Trim());
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && echoErrors)
            {
                Console.Error.WriteLine("   server: " + e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"{string.Join(' ', command)} ended before it was ready (exit code {process.ExitCode})."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new ServerProcess(process, await ready.Task.WaitAsync(TimeSpan.FromSeconds(90)));
        }
        catch
        {
            await StopAsync(process);
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(_process));

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited && ProcessCpu.Terminate(process.Id))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    // Did not stop in time: killed below.
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process.Dispose();
        }
    }
}
