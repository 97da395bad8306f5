using Xunit;

namespace WabaHooks.Testing;

/// <summary>
/// The example notifications every test uses: Meta's examples in <c>shared/payloads</c> beside the repository, plus the
/// examples this repository wrote from the documented facts (they live only in the CLI's trigger catalog).
/// </summary>
public static class ExamplePayloads
{
    private static readonly Lazy<(string? Shared, string Embedded)> Folders = new(Locate);

    /// <summary>
    /// <c>shared/payloads</c> beside the repository (as CI lays it out), or null when the repository was cloned on its
    /// own; then the copies the CLI embeds for <c>trigger</c> stand in.
    /// </summary>
    public static string? SharedDirectory => Folders.Value.Shared;

    /// <summary>The trigger catalog's folder: a byte-for-byte copy of every shared example, and our own examples.</summary>
    public static string EmbeddedDirectory => Folders.Value.Embedded;

    /// <summary>Every example payload file, by name, sorted: the shared ones and our own.</summary>
    public static IReadOnlyList<string> Names =>
        FileNames(EmbeddedDirectory).Union(SharedDirectory is null ? [] : FileNames(SharedDirectory), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>The exact bytes of one payload file; a shared example is read from <c>shared/payloads</c> itself.</summary>
    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>Where one example is read from.</summary>
    public static string PathOf(string name) =>
        SharedDirectory is { } shared && File.Exists(Path.Combine(shared, name)) ? Path.Combine(shared, name) : Path.Combine(EmbeddedDirectory, name);

    /// <summary>xUnit theory data: one row per payload file.</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>File names of the JSON examples in one folder.</summary>
    public static IEnumerable<string> FileNames(string folder) =>
        System.IO.Directory.GetFiles(folder, "*.json").Select(Path.GetFileName).OfType<string>();

    private static (string? Shared, string Embedded) Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WabaHooks.slnx")))
            {
                var fromEnvironment = Environment.GetEnvironmentVariable("WABAHOOKS_PAYLOADS");
                var shared = string.IsNullOrEmpty(fromEnvironment)
                    ? Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "payloads"))
                    : fromEnvironment;
                var embedded = Path.Combine(dir.FullName, "src", "WabaHooks.Cli", "Trigger", "Templates");
                return (System.IO.Directory.Exists(shared) ? shared : null, embedded);
            }
        }

        throw new InvalidOperationException("WabaHooks.slnx not found above the test binaries.");
    }
}
