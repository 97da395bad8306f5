using WabaHooks.Hosting;
namespace WabaHooks.Cli.Configuration;

/// <summary>
/// What <c>serve</c> runs with. Each property has the same name as its configuration key (JSON file, and environment
/// variables <c>WABAHOOKS__KEY</c>) and, in kebab case, its command-line option.
/// </summary>
internal sealed class GatewaySettings
{
    public const string DefaultUrls = "http://127.0.0.1:8080";
    public const string DefaultPath = "/webhook";
    public const string DefaultDataDir = "./wabahooks-data";

    /// <summary>Minimum body limit: Meta's stated maximum payload, 3 MB, read as the larger 3 MiB.</summary>
    public const long MinimumMaxBodyBytes = 3L * 1024 * 1024;

    public IReadOnlyList<Uri> Urls { get; init; } = [];

    public string Path { get; init; } = DefaultPath;

    public string DataDir { get; init; } = DefaultDataDir;

    public string? VerifyToken { get; init; }

    public IReadOnlyList<Signatures.AppSecret> AppSecrets { get; init; } = [];

    /// <summary>Whether <c>/readyz</c> shows errors, WABAs and destinations, not only its status and reason.</summary>
    public bool ReadyzDetails { get; init; }

    public long MaxBodyBytes { get; init; } = Hosting.WabaHooksOptions.DefaultMaxBodyBytes;

    /// <summary>Below this much free space on the data directory's disk, the SQLite store answers 503 to new deliveries.</summary>
    public long FreeSpaceReserveBytes { get; init; } = Sqlite.SqliteStoreOptions.DefaultFreeSpaceReserveBytes;

    public string? HttpsCert { get; init; }

    public string? HttpsKey { get; init; }

    /// <summary>An Npgsql connection string; when set, PostgreSQL replaces the embedded SQLite store.</summary>
    public string? Postgres { get; init; }

    /// <summary>The watchdog's settings; <see cref="WatchSettings.WabaIds"/> empty means it is off.</summary>
    public WatchSettings Watch { get; init; } = new();

    /// <summary>The HTTP destinations events are forwarded to; only in the configuration file or environment.</summary>
    public IReadOnlyList<Hosting.Destinations.DestinationOptions> Destinations { get; init; } = [];
}
