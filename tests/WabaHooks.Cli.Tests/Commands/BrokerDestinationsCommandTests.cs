using System.Text.Json.Nodes;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Brokers;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// Issue #18: the tool composes the broker kinds, so <c>"Kind": "nats"</c> in wabahooks.json just works, and
/// <c>destinations test NAME</c> publishes to the broker and reports its answer and the latency.
/// </summary>
public sealed class BrokerDestinationsCommandTests(NatsServer nats) : IClassFixture<NatsServer>, IDisposable
{
    private readonly TempDirectory _dir = new();

    private string ConfigPath => _dir.Combine("wabahooks.json");

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> RunAsync(params string[] arguments) =>
        CliProcess.RunAsync([.. arguments, "--config", ConfigPath, "--data-dir", _dir.Combine("data")], _dir.Path, null, TimeSpan.FromSeconds(90));

    private void Configure(string subject) => DestinationConfig.Write(ConfigPath, [new JsonObject
    {
        ["Name"] = "stream",
        ["Kind"] = "nats",
        ["Url"] = nats.Url.ToString(),
        ["Subject"] = subject,
        ["Format"] = "event",
    }]);

    [Fact]
    public async Task Test_of_a_nats_destination_publishes_a_test_event_and_reports_the_stream_and_sequence()
    {
        var stream = "C" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await using (var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url.ToString() }))
        {
            await new NatsJSContext(connection).CreateStreamAsync(new StreamConfig(stream, [stream.ToLowerInvariant() + ".>"]), TestContext.Current.CancellationToken);
        }

        Configure(stream.ToLowerInvariant() + ".{type}");

        var result = await RunAsync("destinations", "test", "stream");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^stream: confirmed in \d+(\.\d)? ms", result.StandardOutput);
        Assert.Contains($"answer: stored in stream {stream} as message 1 (subject '{stream.ToLowerInvariant()}.wabahooks.test')", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_of_a_nats_destination_without_a_stream_exits_1_saying_what_to_create()
    {
        Configure("nostream-" + Guid.NewGuid().ToString("N")[..8] + ".{type}");

        var result = await RunAsync("destinations", "test", "stream");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Destination 'stream': no JetStream stream takes the subjects nostream-", result.StandardError, StringComparison.Ordinal);
    }
}
