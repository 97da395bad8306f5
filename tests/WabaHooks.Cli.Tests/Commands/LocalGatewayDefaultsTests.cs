using System.Text.Json.Nodes;
using WabaHooks.Cli.Tests.Support;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>
/// <c>trigger</c> and <c>verify-endpoint</c> beside a running <c>serve</c> need no <c>--url</c> or secrets: they read the
/// same configuration and the credentials serve generated, and serve prints a trigger line that works as pasted.
/// </summary>
public sealed class LocalGatewayDefaultsTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();
    private CliProcess? _serve;

    public async ValueTask InitializeAsync()
    {
        // The port must be known to the configuration, as it is when an operator writes wabahooks.json.
        var config = new JsonObject { ["WabaHooks"] = new JsonObject { ["Serve"] = new JsonObject { ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}", ["Path"] = "/hooks/meta" } } };
        await File.WriteAllTextAsync(_dir.Combine("wabahooks.json"), config.ToJsonString());
        (_serve, _) = await CliProcess.StartServeAsync([], _dir.Path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Trigger_with_no_url_or_secret_reaches_the_local_gateway_with_its_generated_secret()
    {
        var result = await CliProcess.RunAsync(["trigger", "messages"], _dir.Path, timeout: Bound);

        Assert.True(result.ExitCode == 0, result.AllOutput() + "\n" + _serve!.StandardOutput);
        Assert.Contains("Sending to the local gateway at http://127.0.0.1:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("/hooks/meta", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("OK    messages/text  HTTP 200 (OK)", result.StandardOutput, StringComparison.Ordinal);
        await AssertStoredAsTestAsync();
    }

    [Fact]
    public async Task Verify_endpoint_with_no_arguments_checks_the_local_gateway_with_its_generated_token_and_secret()
    {
        var result = await CliProcess.RunAsync(["verify-endpoint"], _dir.Path, timeout: Bound);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("Checking the local gateway at http://127.0.0.1:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PASS  verification request", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PASS  signed notification accepted", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trigger_line_serve_prints_works_as_pasted_from_another_folder()
    {
        var line = _serve!.StandardOutput.Split('\n').Single(l => l.Contains("Try it:", StringComparison.Ordinal));
        var command = line[(line.IndexOf("wabahooks ", StringComparison.Ordinal) + "wabahooks ".Length)..].Trim();
        using var elsewhere = new TempDirectory();

        var result = await CliProcess.RunAsync(command.Split(' ', StringSplitOptions.RemoveEmptyEntries), elsewhere.Path, timeout: Bound);

        Assert.True(result.ExitCode == 0, $"{command}\n{result.AllOutput()}");
        Assert.Contains("OK    messages/text  HTTP 200 (OK)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_configured_or_generated_secret_trigger_says_which_files_it_looked_in()
    {
        using var empty = new TempDirectory();

        var result = await CliProcess.RunAsync(["trigger", "messages", "--url", "http://127.0.0.1:9/webhook"], empty.Path, timeout: Bound);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Path.Combine(empty.Path, "wabahooks.json"), result.StandardError, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(empty.Path, "wabahooks-data", "local-credentials.json"), result.StandardError, StringComparison.Ordinal);
    }

    private async Task AssertStoredAsTestAsync()
    {
        await using var store = new SqliteStore(SqliteStoreOptions.ForDataDirectory(_dir.Combine("wabahooks-data")));
        var events = await Await.UntilAsync(
            () => store.ListEventsAsync(new EventQuery(), CancellationToken.None), e => e.Count > 0, "the triggered event stored", Bound);
        Assert.All(events, e => Assert.True(e.IsTest));
    }
}
