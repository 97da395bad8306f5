using System.Text.Json;
using WabaHooks.Testing;
using WabaHooks.Testing.Processes;

namespace WabaHooks.Cli.Tests.Packaging;

/// <summary>
/// The wabahooks tool as a user gets it: installed by <c>dotnet tool install</c> from the packed folder into a tool path
/// of its own, then run by its command name — not the build output the other tests run.
/// </summary>
public sealed class InstalledToolTests(PackagesFixture packages) : IClassFixture<PackagesFixture>, IDisposable
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task The_installed_tool_reports_the_package_version_and_serves_what_trigger_sends()
    {
        var wabahooks = await InstallAsync();

        var version = await CliProcess.RunProgramAsync(wabahooks, ["--version"], _dir.Path, Environment());
        Assert.Equal(0, version.ExitCode);
        Assert.StartsWith(PackagesFixture.Version, version.StandardOutput.Trim(), StringComparison.Ordinal);

        // serve and trigger, both through the installed command; trigger finds the gateway from the same settings.
        var port = FreePort.Next();
        var environment = Environment();
        environment["WabaHooks__Serve__Urls"] = $"http://127.0.0.1:{port}";
        environment["WabaHooks__Sqlite__DataDirectory"] = _dir.Combine("data");
        await using var serve = CliProcess.StartProgram(wabahooks, ["serve"], _dir.Path, environment);
        await serve.WaitForOutputAsync("See what arrived:", TimeSpan.FromSeconds(60));

        var trigger = await CliProcess.RunProgramAsync(wabahooks, ["trigger", "messages"], _dir.Path, environment);
        Assert.True(trigger.ExitCode == 0, trigger.StandardOutput + trigger.StandardError);

        var events = await Await.UntilAsync(
            async () => await CliProcess.RunProgramAsync(wabahooks, ["events", "list", "--json"], _dir.Path, environment),
            r => r.ExitCode == 0 && JsonDocument.Parse(r.StandardOutput).RootElement.GetArrayLength() > 0,
            "the triggered message's event, listed by the installed tool");
        var first = JsonDocument.Parse(events.StandardOutput).RootElement[0];
        Assert.Equal("messages.text", first.GetProperty("type").GetString());
    }

    private async Task<string> InstallAsync()
    {
        var toolPath = _dir.Combine("tools");
        var (code, output) = await PackagesFixture.RunAsync(
            "dotnet",
            ["tool", "install", "--tool-path", toolPath, "--add-source", packages.Folder, "--ignore-failed-sources", "WabaHooks.Cli", "--version", PackagesFixture.Version],
            InstallTimeout,
            // A package cache of its own: the machine's would hand back an earlier build of the same version.
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = _dir.Combine("nuget-packages") });
        Assert.True(code == 0, $"dotnet tool install exited {code} ({packages.Origin}):\n{output}");
        var command = Path.Combine(toolPath, "wabahooks");
        Assert.True(File.Exists(command), $"no wabahooks command in {toolPath}:\n{output}");
        return command;
    }

    /// <summary>The tool's launcher finds the runtime through DOTNET_ROOT when dotnet is not in a standard place.</summary>
    private static Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string> { ["WabaHooks__Admin__Urls"] = "" };
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            environment["DOTNET_ROOT"] = Path.GetDirectoryName(host)!;
        }

        return environment;
    }

    public void Dispose() => _dir.Dispose();
}
