using System.Text.RegularExpressions;
using WabaHooks.Cli.Tests.Support;

namespace WabaHooks.Cli.Tests.Commands;

/// <summary>Help names the command a user types (<c>wabahooks</c>, the tool's command), not the assembly it runs.</summary>
public sealed partial class HelpTests
{
    [Theory]
    [InlineData(new[] { "--help" }, "wabahooks [command] [options]")]
    [InlineData(new[] { "deliveries", "list", "--help" }, "wabahooks deliveries list [options]")]
    public async Task Usage_lines_start_with_wabahooks(string[] arguments, string usage)
    {
        var result = await CliCommand.RunAsync(arguments);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(usage, UsageLine().Match(result.StandardOutput).Groups[1].Value.Trim());
        Assert.DoesNotContain("WabaHooks.Cli", result.AllOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_still_answers()
    {
        var result = await CliCommand.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+", result.StandardOutput.Trim());
    }

    [GeneratedRegex(@"Usage:\s*\n\s*(.+)")]
    private static partial Regex UsageLine();
}
