namespace WabaHooks.Cli.Configuration;

/// <summary>
/// Where <c>serve</c> keeps the ASP.NET Core data-protection keys that seal the admin session cookie and antiforgery
/// tokens: beside the local credentials, so a session survives a restart. Left to ASP.NET Core's default they would be
/// written under the user's home directory, or kept in memory where there is none (a container), and every restart
/// would log everyone out. The keys are not encrypted at rest (no key-encryption certificate is configured), so the
/// folder is readable by the owner only, like the admin token beside it.
/// </summary>
internal static class LocalAdminKeys
{
    public const string FolderName = "admin-keys";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static string PathIn(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), FolderName);

    /// <summary>Creates the folder (owner only), or narrows an existing one to the owner, and returns it.</summary>
    public static DirectoryInfo Prepare(string dataDir)
    {
        var path = PathIn(dataDir);
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        var folder = Directory.CreateDirectory(path, OwnerOnly);
        // CreateDirectory leaves an existing folder's mode as it was: one made by hand, or by an older version, is narrowed.
        File.SetUnixFileMode(path, OwnerOnly);
        return folder;
    }
}
