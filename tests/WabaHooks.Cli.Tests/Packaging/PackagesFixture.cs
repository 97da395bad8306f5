using System.Diagnostics;
using System.Xml.Linq;
using WabaHooks.Testing;

namespace WabaHooks.Cli.Tests.Packaging;

/// <summary>
/// The NuGet packages of every project under src/: those <c>.ci/run</c> packed (the folder in
/// <c>WABAHOOKS_PACKAGES</c>), so CI packs once; otherwise packed here into a temp folder, in the tests' configuration,
/// from the binaries the test build already made up to date.
/// </summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    public const string PackagesVariable = "WABAHOOKS_PACKAGES";
    // Packing is mostly waiting for an incremental build (about 20 s of CPU); the bound is for a loaded machine.
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    private readonly TempDirectory _dir = new();

    /// <summary>The folder holding the .nupkg and .snupkg files.</summary>
    public string Folder { get; private set; } = "";

    /// <summary>Where the packages came from, for failure messages.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>The version every package carries: Directory.Build.props' VersionPrefix.</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>The projects under src/, each one package.</summary>
    public static IReadOnlyList<string> SourceProjects { get; } =
        [.. Directory.GetDirectories(RepositoryRoot.Combine("src"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!];

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(PackagesVariable) is { Length: > 0 } given)
        {
            Folder = given;
            Origin = $"the folder .ci/run packed into ({PackagesVariable}={given})";
            return;
        }

        // Only src/: a solution file of their own, so tests, bench and samples are neither built nor packed here.
        var solution = _dir.Combine("packages.slnx");
        var projects = SourceProjects.Select(p => $"  <Project Path=\"{RepositoryRoot.Combine("src", p!, p + ".csproj")}\" />");
        await File.WriteAllTextAsync(solution, $"<Solution>\n{string.Join('\n', projects)}\n</Solution>\n");
        Folder = _dir.Combine("packages");
        Origin = $"dotnet pack -c {RepositoryRoot.Configuration} into {Folder}";
        var (code, output) = await RunAsync("dotnet", ["pack", solution, "-c", RepositoryRoot.Configuration, "-o", Folder, "-v", "q", "-nologo"], PackTimeout);
        Assert.True(code == 0, $"dotnet pack exited {code}:\n{output}");
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    public string Package(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    public string SymbolPackage(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");

    /// <summary>Runs a program to its end within <paramref name="timeout"/>, killing it after; returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} did not finish within {timeout}.\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string ReadVersion()
    {
        var props = XDocument.Load(RepositoryRoot.Combine("Directory.Build.props"));
        return props.Descendants("VersionPrefix").Single().Value.Trim();
    }
}
