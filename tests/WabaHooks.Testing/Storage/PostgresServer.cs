using System.Diagnostics;
using Npgsql;
using Xunit;

namespace WabaHooks.Testing.Storage;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: the Debian package's <c>initdb</c> and <c>pg_ctl</c> into a temp
/// folder, on a free loopback port — or the server in <c>WABAHOOKS_TEST_POSTGRES</c> when that is set. Without
/// either, tests skip locally with the reason, and fail under CI (<c>CI=true</c>), where <c>.ci/run</c> installs it
/// (<see cref="TestEnvironment.Require(bool, string)"/>).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _directory;
    private string? _binaries;
    private string? _adminConnectionString;
    private string? _unavailable;

    /// <summary>Creates an empty database for one test and returns its connection string; skips or fails when there is no server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        TestEnvironment.Require(_unavailable is null, _unavailable ?? "");

        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ToString();
    }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("WABAHOOKS_TEST_POSTGRES");
        if (!string.IsNullOrEmpty(external))
        {
            _adminConnectionString = external;
            return;
        }

        _binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (_binaries is null)
        {
            _unavailable = "PostgreSQL is not installed (apt-get install postgresql) and WABAHOOKS_TEST_POSTGRES is not set.";
            return;
        }

        _directory = Path.Combine(Path.GetTempPath(), "wabahooks-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user the Debian package creates.
            await RunAsync("chown", ["-R", "postgres", _directory], asPostgres: false);
        }

        var port = FreePort.Next();
        // fsync=off: a throwaway cluster has no power loss to survive, and with it CREATE DATABASE (one per test) and
        // every commit skip the disk flush. Commits still wait for the write-ahead log (synchronous_commit stays on).
        await RunAsync(Path.Combine(_binaries, "initdb"), ["-D", Path.Combine(_directory, "data"), "-U", "wabahooks", "-A", "trust", "-E", "UTF8", "--no-sync"], asRoot);
        await RunAsync(Path.Combine(_binaries, "pg_ctl"),
            ["-D", Path.Combine(_directory, "data"), "-l", Path.Combine(_directory, "log"), "-w", "-t", "60",
             "-o", $"-p {port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off", "start"], asRoot);
        _adminConnectionString = $"Host=127.0.0.1;Port={port};Username=wabahooks;Database=postgres;Pooling=false;Timeout=15";
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_directory is null || _binaries is null)
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "-t", "30", "stop"], Environment.UserName == "root");
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
