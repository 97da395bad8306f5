namespace WabaHooks.Testing;

/// <summary>The repository's folder, found from the test binaries: the one holding <c>WabaHooks.slnx</c>.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "WabaHooks.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"WabaHooks.slnx not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The full path of the repository's folder.</summary>
    public static string Path => Found.Value;

    /// <summary>A path inside the repository.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The build configuration the tests run in (<c>Debug</c> or <c>Release</c>), from their own folder.</summary>
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory).Parent?.Parent?.Name is { } name && name is "Debug" or "Release" ? name : "Debug";
}
