using Xunit;

namespace WabaHooks.Testing.Brokers;

/// <summary>
/// A throwaway NATS server with JetStream for the tests: Debian's <c>nats-server</c> on a free loopback port with its
/// store in a temp folder (<c>nats-server -a 127.0.0.1 -p PORT -js -sd DIR</c>); ready in tens of milliseconds. Without
/// it, tests skip locally with the reason and fail under CI (<see cref="TestEnvironment.Require(bool, string)"/>).
/// </summary>
public sealed class NatsServer : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/sbin/nats-server", "/usr/bin/nats-server"];
    private readonly TempDirectory _dir = new();
    private BrokerProcess? _process;
    private string? _unavailable;

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The server's URL; skips or fails the test when there is no server.</summary>
    public Uri Url
    {
        get
        {
            TestEnvironment.Require(_unavailable is null, _unavailable ?? "");
            return new Uri($"nats://127.0.0.1:{Port}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        var executable = Candidates.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            _unavailable = "nats-server is not installed (apt-get install nats-server).";
            return;
        }

        Port = FreePort.Next();
        _process = new BrokerProcess(
            "nats-server", executable, ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", _dir.Combine("jetstream")],
            new Dictionary<string, string>(), _dir.Combine("nats.log"));
        await _process.StartAsync(Port, TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server with SIGKILL, as a crash would.</summary>
    public Task KillAsync() => _process!.KillAsync();

    /// <summary>Starts it again on the same port and store.</summary>
    public Task RestartAsync() => _process!.StartAsync(Port, TimeSpan.FromSeconds(30));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }

        _dir.Dispose();
    }
}
