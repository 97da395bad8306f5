using WabaHooks.Cli.Tests.Support;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Configuration;

/// <summary>
/// Every command finds its configuration as <c>serve</c> does — <c>--config</c>, else <c>WABAHOOKS_CONFIG</c>, else
/// <c>./wabahooks.json</c> — so operators do not repeat <c>--config</c>, and a command that finds none says where it looked.
/// </summary>
public sealed class ConfigFileDiscoveryTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteConfig(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "wabahooks.json");
        DestinationConfig.Write(path, [DestinationConfig.Meta(name, new Uri("http://127.0.0.1:9/hook"))]);
        return path;
    }

    [Fact]
    public async Task Destinations_list_reads_wabahooks_json_in_the_working_folder_without_config()
    {
        WriteConfig(_dir.Path, "crm-from-working-folder");

        var result = await CliProcess.RunAsync(["destinations", "list", "--data-dir", _dir.Combine("data")], _dir.Path, timeout: Bound);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("crm-from-working-folder", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WABAHOOKS_CONFIG_names_the_file_when_config_is_not_given_and_wins_over_the_working_folder()
    {
        WriteConfig(_dir.Path, "crm-from-working-folder");
        var named = WriteConfig(_dir.Combine("elsewhere"), "crm-from-variable");

        var result = await CliProcess.RunAsync(
            ["destinations", "list", "--data-dir", _dir.Combine("data")], _dir.Path, new Dictionary<string, string> { ["WABAHOOKS_CONFIG"] = named }, Bound);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("crm-from-variable", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-from-working-folder", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_wins_over_WABAHOOKS_CONFIG()
    {
        var given = WriteConfig(_dir.Combine("given"), "crm-from-option");
        var named = WriteConfig(_dir.Combine("elsewhere"), "crm-from-variable");

        var result = await CliProcess.RunAsync(
            ["destinations", "list", "--config", given, "--data-dir", _dir.Combine("data")], _dir.Path, new Dictionary<string, string> { ["WABAHOOKS_CONFIG"] = named }, Bound);

        Assert.True(result.ExitCode == 0, result.AllOutput());
        Assert.Contains("crm-from-option", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-from-variable", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_configuration_file_a_command_that_needs_one_says_which_file_it_looked_for()
    {
        var list = await CliProcess.RunAsync(["destinations", "list", "--data-dir", _dir.Combine("data")], _dir.Path, timeout: Bound);
        var test = await CliProcess.RunAsync(["destinations", "test", "crm", "--data-dir", _dir.Combine("data")], _dir.Path, timeout: Bound);

        var expected = "looked for " + Path.Combine(_dir.Path, "wabahooks.json");
        Assert.True(list.ExitCode == 0, list.AllOutput());
        Assert.Contains(expected, list.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, test.ExitCode);
        Assert.Contains(expected, test.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_WABAHOOKS_CONFIG_that_names_a_missing_file_is_a_configuration_error()
    {
        var missing = _dir.Combine("missing.json");

        var result = await CliProcess.RunAsync(
            ["destinations", "list", "--data-dir", _dir.Combine("data")], _dir.Path, new Dictionary<string, string> { ["WABAHOOKS_CONFIG"] = missing }, Bound);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"WABAHOOKS_CONFIG: the file {missing} does not exist", result.StandardError, StringComparison.Ordinal);
    }
}
