using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Postgres;

/// <summary>How the PostgreSQL store connects.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=wabahooks;Username=wabahooks;Password=…</c>. Required.</summary>
    [Secret]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a statement waits for a lock held by another session before failing (the endpoint then answers 503).
    /// Default 2 seconds.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock for the times the store records. Default system time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
