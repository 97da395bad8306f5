using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace WabaHooks.Testing.Brokers;

/// <summary>
/// A throwaway RabbitMQ node for the tests: Debian's <c>/usr/lib/rabbitmq/bin/rabbitmq-server</c> with its own node
/// name, ports (AMQP, distribution, epmd), data, logs, configuration and a fresh <c>HOME</c> (so a fresh Erlang cookie)
/// under a temp folder, all on 127.0.0.1. It takes seconds to start, so a test class shares one. Its epmd, which
/// outlives the node, is stopped with it. Without the package, tests skip locally with the reason and fail under CI.
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    private const string Script = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    // A first start creates the node's database; on a loaded two-core machine that has taken over 20 seconds.
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _dir = new();
    private BrokerProcess? _process;
    private string? _unavailable;
    private int _epmdPort;

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The broker's URL with the default guest user and virtual host; skips or fails the test when there is no server.</summary>
    public Uri Url
    {
        get
        {
            TestEnvironment.Require(_unavailable is null, _unavailable ?? "");
            return new Uri($"amqp://guest:guest@127.0.0.1:{Port}/");
        }
    }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Script))
        {
            _unavailable = "RabbitMQ is not installed (apt-get install rabbitmq-server).";
            return;
        }

        Port = FreePort.Next();
        _epmdPort = FreePort.Next();
        var distPort = FreePort.Next();
        Directory.CreateDirectory(_dir.Combine("home"));
        File.WriteAllText(_dir.Combine("rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{Port}\n");
        File.WriteAllText(_dir.Combine("enabled_plugins"), "[].\n");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _dir.Combine("home"),
            ["RABBITMQ_NODENAME"] = $"wabahooks{Port}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = _dir.Combine("mnesia"),
            ["RABBITMQ_LOG_BASE"] = _dir.Combine("log"),
            ["RABBITMQ_CONFIG_FILE"] = _dir.Combine("rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = _dir.Combine("enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = _dir.Combine("rabbitmq.pid"),
            // Distribution and epmd on loopback and on ports of their own, away from any other node on the machine.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        };
        _process = new BrokerProcess("rabbitmq-server", Script, [], environment, _dir.Combine("rabbitmq.out"));
        await _process.StartAsync(Port, StartBound);
    }

    /// <summary>Kills the node with SIGKILL, as a crash would.</summary>
    public Task KillAsync() => _process!.KillAsync(NodePid());

    /// <summary>Starts it again on the same port and data.</summary>
    public Task RestartAsync() => _process!.StartAsync(Port, StartBound);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            try
            {
                await _process.KillAsync(NodePid());
            }
            finally
            {
                await StopEpmdAsync();
            }
        }

        _dir.Dispose();
    }

    private int? NodePid() =>
        File.Exists(_dir.Combine("rabbitmq.pid")) && int.TryParse(File.ReadAllText(_dir.Combine("rabbitmq.pid")).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private async Task StopEpmdAsync()
    {
        var epmd = new[] { "/usr/bin/epmd", "/usr/lib/erlang/bin/epmd" }.FirstOrDefault(File.Exists);
        if (epmd is null)
        {
            return;
        }

        // epmd refuses to stop while it still lists the node it has not yet seen die: ask again for a few seconds.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var kill = Process.Start(new ProcessStartInfo(epmd, ["-port", _epmdPort.ToString(CultureInfo.InvariantCulture), "-kill"])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (kill is null)
            {
                return;
            }

            var said = kill.StandardOutput.ReadToEnd() + kill.StandardError.ReadToEnd();
            kill.WaitForExit(10_000);
            if (said.StartsWith("Killed", StringComparison.Ordinal) || said.Contains("Cannot connect", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }
    }
}
