using System.Security.Cryptography;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// The operator token generated on first start when no admin token is configured, so the one-click login URL works at
/// once (as the .NET Aspire dashboard does). Kept beside the local credentials, readable by the owner only.
/// </summary>
internal static class LocalAdminToken
{
    public const string FileName = "admin-token";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathIn(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), FileName);

    /// <summary>Reads the stored token, creating it the first time.</summary>
    public static string LoadOrCreate(string dataDir)
    {
        var path = PathIn(dataDir);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 32 } stored)
        {
            return stored;
        }

        var created = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.Write(created);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        return created;
    }
}
