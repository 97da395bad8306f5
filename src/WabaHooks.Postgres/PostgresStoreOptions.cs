using WabaHooks.Hosting.Configuration;

namespace WabaHooks.Postgres;

/// <summary>How the PostgreSQL store connects.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Database=wabahooks;Username=wabahooks;Password=…</c>. Required,
    /// unless the store is given an <c>NpgsqlDataSource</c>, which it then connects through instead.
    /// </summary>
    [Secret]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a statement waits for a lock held by another session before failing (the endpoint then answers 503).
    /// Set in each of the store's transactions, never on the connection. Default 2 seconds; zero waits without limit.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock for the times the store records. Default system time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
