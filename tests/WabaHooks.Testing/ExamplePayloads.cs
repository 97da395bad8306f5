using Xunit;

namespace WabaHooks.Testing;

/// <summary>The example notifications in <c>shared/payloads</c>, beside the repository: the fixtures every test uses.</summary>
public static class ExamplePayloads
{
    private static readonly Lazy<string> DirectoryPath = new(Locate);

    /// <summary>The folder that holds the example payload files.</summary>
    public static string Directory => DirectoryPath.Value;

    /// <summary>Every example payload file, by name, sorted.</summary>
    public static IReadOnlyList<string> Names =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The exact bytes of one payload file.</summary>
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

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

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("WABAHOOKS_PAYLOADS");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WabaHooks.slnx")))
            {
                // The source of truth is shared/payloads beside the repository (as CI lays it out); the copy the CLI
                // embeds for `trigger` stands in when the repository was cloned on its own.
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "payloads"));
                var embedded = Path.Combine(dir.FullName, "src", "WabaHooks.Cli", "Trigger", "Templates");
                foreach (var candidate in new[] { shared, embedded })
                {
                    if (System.IO.Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }

                throw new InvalidOperationException(
                    $"The example payloads are expected at {shared} (shared/ beside the repository). Set WABAHOOKS_PAYLOADS to their folder.");
            }
        }

        throw new InvalidOperationException("WabaHooks.slnx not found above the test binaries; set WABAHOOKS_PAYLOADS.");
    }
}
