using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WabaHooks.Cli.Configuration;

/// <summary>
/// A verify token and app secret generated on first start when none is configured, so <c>serve</c> runs at once
/// and local tests (<c>wabahooks trigger</c>) can sign. Kept in the data directory, readable by the owner only.
/// Meta signs with the real app secret, so its deliveries are refused until that one is configured.
/// </summary>
internal sealed record LocalCredentials(string VerifyToken, string AppSecret)
{
    public const string FileName = "local-credentials.json";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathIn(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), FileName);

    /// <summary>Reads the stored pair, creating it the first time.</summary>
    public static LocalCredentials LoadOrCreate(string dataDir)
    {
        var path = PathIn(dataDir);
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), CliJsonContext.Default.LocalCredentials);
            if (stored is { VerifyToken.Length: > 0, AppSecret.Length: > 0 })
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, OwnerOnly);
                }

                return stored;
            }
        }

        var created = new LocalCredentials(
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_'),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(path, options))
        {
            JsonSerializer.Serialize(stream, created, CliJsonContext.Default.LocalCredentials);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        return created;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(LocalCredentials))]
[JsonSerializable(typeof(List<Output.DeliveryJson>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
