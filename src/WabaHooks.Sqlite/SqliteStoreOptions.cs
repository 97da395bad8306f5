namespace WabaHooks.Sqlite;

/// <summary>Where and how the embedded SQLite store keeps its file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string DatabaseFileName = "wabahooks.db";

    /// <summary>The full path of the database file. Required.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// How long a write waits for a lock held by another connection before failing (the endpoint then answers 503).
    /// Default 2 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock for the times the store records (when an event was stored, an attempt made). Default system time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Options for the database in <paramref name="dataDirectory"/>.</summary>
    public static SqliteStoreOptions ForDataDirectory(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return new SqliteStoreOptions { DatabasePath = Path.Combine(Path.GetFullPath(dataDirectory), DatabaseFileName) };
    }
}
