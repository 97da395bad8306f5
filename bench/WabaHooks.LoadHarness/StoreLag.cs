using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace WabaHooks.LoadHarness;

/// <summary>
/// The processor's lag read from the SQLite file, read-only, beside the running gateway: deliveries stored (answered
/// 200) but not yet processed, and how long the oldest of them has waited. Each reading is one short statement on the
/// partial index of unprocessed deliveries, so it holds no snapshot that would keep the gateway's checkpoints back.
/// </summary>
internal sealed class StoreLag : IDisposable
{
    private readonly SqliteConnection _connection;

    public StoreLag(string dataDirectory)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "wabahooks.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString());
        _connection.Open();
    }

    public LagReading Read()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*), min(d.received_at), (SELECT max(id) FROM deliveries) FROM delivery_pending p JOIN deliveries d ON d.id = p.id;";
        using var reader = command.ExecuteReader();
        reader.Read();
        var unprocessed = reader.GetInt64(0);
        var oldestAgeMs = reader.IsDBNull(1) ? 0 : Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - reader.GetInt64(1));
        var stored = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
        return new LagReading(unprocessed, oldestAgeMs, stored);
    }

    public long Count(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Reads every second until cancelled; each reading with the seconds since the start.</summary>
    public async Task<List<(int Second, LagReading Reading)>> SampleAsync(CancellationToken stop)
    {
        var samples = new List<(int, LagReading)>();
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                samples.Add(((int)Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds), Read()));
            }
        }
        catch (OperationCanceledException)
        {
            // The phase ended.
        }

        return samples;
    }

    /// <summary>Waits until no delivery is left unprocessed; returns how long that took, or null when it did not happen within <paramref name="limit"/>.</summary>
    public async Task<TimeSpan?> WaitDrainedAsync(TimeSpan limit, TimeSpan poll)
    {
        var started = Stopwatch.GetTimestamp();
        while (Read().Unprocessed > 0)
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                return null;
            }

            await Task.Delay(poll);
        }

        return Stopwatch.GetElapsedTime(started);
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>One reading: deliveries not yet processed, the age of the oldest of them, the highest delivery id stored.</summary>
internal sealed record LagReading(long Unprocessed, long OldestAgeMs, long Stored);
