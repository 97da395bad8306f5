using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Sqlite;

/// <summary>Where and how the embedded SQLite store keeps its file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string DatabaseFileName = "wabahooks.db";

    /// <summary>The full path of the database file. Required; in configuration, set <see cref="DataDirectory"/>.</summary>
    [NotConfigurable]
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// The folder that holds the database file <c>wabahooks.db</c>; created when missing. Setting it sets
    /// <see cref="DatabasePath"/>.
    /// </summary>
    public string DataDirectory
    {
        get => DatabasePath.Length == 0 ? "" : Path.GetDirectoryName(DatabasePath) ?? "";
        set => DatabasePath = string.IsNullOrWhiteSpace(value) ? "" : Path.Combine(Path.GetFullPath(value), DatabaseFileName);
    }

    /// <summary>
    /// How long a write waits for a lock held by another connection before failing (the endpoint then answers 503).
    /// Default 2 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Default <see cref="FreeSpaceReserveBytes"/>: 64 MiB.</summary>
    public const long DefaultFreeSpaceReserveBytes = 64L * 1024 * 1024;

    /// <summary>Default <see cref="WalSizeLimitBytes"/>: 16 MiB.</summary>
    public const long DefaultWalSizeLimitBytes = 16L * 1024 * 1024;

    /// <summary>
    /// New deliveries are refused (the endpoint answers 503 with Retry-After, so Meta retries) while the filesystem of
    /// the database has less free space than this. The space kept lets checkpoints and the processor finish, and the
    /// store accepts deliveries again by itself within a quarter of a second of space being freed. 0 turns the check off.
    /// Default 64 MiB: room for a full write-ahead log to be copied into the database file
    /// (<see cref="WalSizeLimitBytes"/>, 16 MiB), for the processor to commit the events of what is already stored, and
    /// for the log to grow again meanwhile.
    /// </summary>
    public long FreeSpaceReserveBytes { get; set; } = DefaultFreeSpaceReserveBytes;

    /// <summary>
    /// How large the write-ahead log may grow before a checkpoint that waits for the writer and for readers copies it
    /// into the database file and starts it again from its beginning; also the size a checkpointed log is cut back to
    /// (<c>PRAGMA journal_size_limit</c>). Under sustained load the log stays below about this size. At least 1 MiB.
    /// Default 16 MiB.
    /// </summary>
    public long WalSizeLimitBytes { get; set; } = DefaultWalSizeLimitBytes;

    /// <summary>Measures the free bytes on the filesystem of a directory; tests replace it. Default: <see cref="DriveInfo.AvailableFreeSpace"/>.</summary>
    internal Func<string, long>? FreeSpaceProbe { get; set; }

    /// <summary>The clock for the times the store records (when an event was stored, an attempt made). Default system time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Options for the database in <paramref name="dataDirectory"/>.</summary>
    public static SqliteStoreOptions ForDataDirectory(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return new SqliteStoreOptions { DatabasePath = Path.Combine(Path.GetFullPath(dataDirectory), DatabaseFileName) };
    }
}
