using System.Globalization;
using Microsoft.Extensions.Configuration;
using WabaHooks.Cli.Configuration;
using WabaHooks.Sqlite;

namespace WabaHooks.Cli.Doctor.Checks;

/// <summary>
/// Free space where the SQLite store lives. Below the free-space reserve serve answers Meta 503 (deliveries pile up at
/// Meta, retried for up to 7 days); below 1 GiB that moment is near.
/// </summary>
internal sealed class DiskSpaceCheck : IDoctorCheck
{
    public const string Name = "disk space";

    /// <summary>Below this much free space (beside the reserve) the check fails: a busy gateway writes that in hours.</summary>
    public const long Headroom = 1024L * 1024 * 1024;

    string IDoctorCheck.Name => Name;

    public Task<IReadOnlyList<Finding>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (context.Postgres is not null)
        {
            return Task.FromResult<IReadOnlyList<Finding>>([Finding.Skip(Name, "the store is PostgreSQL: its disk is the database server's to watch.")]);
        }

        var reserve = Reserve(context.Configuration);
        var folder = Path.GetFullPath(context.DataDir);
        var existing = folder;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var free = new DriveInfo(existing).AvailableFreeSpace;
        var database = new FileInfo(SqliteStoreOptions.ForDataDirectory(context.DataDir).DatabasePath);
        var size = database.Exists ? $"; the database is {Bytes(database.Length)}" : "";
        var detail = $"{Bytes(free)} free for {folder} (reserve {Bytes(reserve)}){size}.";
        Finding finding = free < reserve
            ? Finding.Fail(Name, $"{detail} Below the reserve: serve answers new deliveries 503 now.", "Free space on that filesystem or move the data directory to a larger one; Meta retries what it could not deliver.")
            : free < reserve + Headroom
                ? Finding.Fail(Name, $"{detail} Less than 1 GiB above the reserve: deliveries will be refused soon.", "Free space on that filesystem or move the data directory to a larger one.")
                : Finding.Pass(Name, detail);
        return Task.FromResult<IReadOnlyList<Finding>>([finding]);
    }

    private static long Reserve(IConfiguration configuration) =>
        long.TryParse(configuration[CliConfiguration.Key("Sqlite", "FreeSpaceReserveBytes")], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : SqliteStoreOptions.DefaultFreeSpaceReserveBytes;

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
