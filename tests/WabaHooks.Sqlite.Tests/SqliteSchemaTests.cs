using Microsoft.Data.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Sqlite.Tests;

public sealed class SqliteSchemaTests : IDisposable
{
    // The last schema version before sink_work had scheduled_at.
    private const int VersionBeforeScheduledAt = 2;

    // The last schema version whose deliveries rows held the processor's outcome.
    private const int VersionBeforeOutcomeTables = 11;

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_123);

    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => _dir.Combine("wabahooks.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_database_from_before_scheduled_at_migrates_and_keeps_its_work_scheduled_at_its_last_change()
    {
        await using (var old = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await old.OpenAsync(Ct);
            SqliteSchema.Migrate(old, VersionBeforeScheduledAt);
            await using var insert = old.CreateCommand();
            // Exactly the columns the previous release wrote.
            insert.CommandText =
                """
                INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at) VALUES
                    ('pending', 's', 1, 7, 0, 1, $next, 0, 'HTTP 500', $pending_changed),
                    ('dead',    's', 2, 7, 2, 5, $next, 0, 'boom',     $dead_changed);
                """;
            insert.Parameters.AddWithValue("$next", T0.AddMinutes(1).ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$pending_changed", T0.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$dead_changed", T0.AddSeconds(30).ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath });
        await store.InitializeAsync(Ct);

        Assert.Equal(SqliteSchema.CurrentVersion, await UserVersionAsync());
        var pending = Assert.Single(await store.ClaimDueAsync("s", 10, T0.AddMinutes(1), TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(new SinkWorkItem("pending", 1, 7, "s", SinkWorkState.Pending, 1, T0.AddMinutes(1), "HTTP 500", T0), pending);
        var dead = Assert.Single(await store.ListDeadLettersAsync("s", 10, Ct));
        Assert.Equal(new SinkWorkItem("dead", 2, 7, "s", SinkWorkState.Dead, 5, T0.AddMinutes(1), "boom", T0.AddSeconds(30)), dead);
        var backlog = Assert.Single(await store.GetBacklogAsync(Ct));
        Assert.Equal(new SinkBacklog("s", 1, 1, 0) { OldestPendingSince = T0 }, backlog);
    }

    [Fact]
    public async Task A_database_with_outcomes_in_the_delivery_rows_migrates_them_out_and_keeps_the_unprocessed_waiting()
    {
        await using (var old = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await old.OpenAsync(Ct);
            SqliteSchema.Migrate(old, VersionBeforeOutcomeTables);
            await using var insert = old.CreateCommand();
            // As the previous release left them: one processed, one that failed to split, one waiting.
            insert.CommandText =
                """
                INSERT INTO deliveries (id, received_at, app_id, length, flags, body, processed_at, event_count, duplicate_count, parse_error) VALUES
                    (1, 10, 'app', 2, 0, x'7b7d', 100, 3, 1, NULL),
                    (2, 20, 'app', 2, 0, x'7b7d', 200, 0, 0, 'not JSON'),
                    (3, 30, 'app', 2, 0, x'7b7d', NULL, NULL, NULL, NULL);
                """;
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath });
        await store.InitializeAsync(Ct);

        Assert.Equal(SqliteSchema.CurrentVersion, await UserVersionAsync());
        await OutcomeMigration.AssertMovedOutAsync(store, Ct);

        // A new delivery waits too, and reprocessing a failed one puts it back in line.
        var added = await store.AppendAsync([new WabaHooks.Inbox.InboundDelivery("{}"u8.ToArray(), T0, "app", WabaHooks.Inbox.DeliveryFlags.None, null)], Ct);
        Assert.Equal([2L], await store.ReprocessAsync(null, Ct));
        Assert.Equal([2L, 3L, added[0]], (await store.ReadUnprocessedAsync(10, Ct)).Select(d => d.Summary.Id));
        Assert.Empty(await store.ListFailedDeliveriesAsync(10, null, Ct));
    }

    [Fact]
    public async Task The_processor_reads_its_backlog_from_the_pending_table_in_id_order_without_scanning_deliveries()
    {
        await using (var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath }))
        {
            await store.InitializeAsync(Ct);
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteStore.UnprocessedSql;
        explain.Parameters.AddWithValue("$after", 0);
        explain.Parameters.AddWithValue("$limit", 256);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Equal(
            ["SEARCH delivery_pending USING INTEGER PRIMARY KEY (rowid>?)", "SEARCH deliveries USING INTEGER PRIMARY KEY (rowid=?)"],
            plan);
    }

    [Fact]
    public async Task The_backlog_finds_each_sinks_latest_success_and_failure_by_index_seeks_not_scans()
    {
        await using (var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath }))
        {
            await store.InitializeAsync(Ct);
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteStore.BacklogSql;
        var plan = new List<(long Id, long Parent, string Detail)>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(3)));
            }
        }

        // Each per-sink lookup reads the end of one (sink, succeeded) range of the index, already in started_at
        // order: a search, with no scan and no sort of the sink's attempts.
        var lookups = plan.Where(p => p.Detail.StartsWith("CORRELATED SCALAR SUBQUERY", StringComparison.Ordinal)).Select(p => p.Id).ToList();
        Assert.Equal(2, lookups.Count);
        var steps = plan.Where(p => lookups.Contains(p.Parent)).Select(p => p.Detail).ToList();
        Assert.Equal(2, steps.Count);
        Assert.All(steps, d => Assert.Matches(@"^SEARCH \w+ USING COVERING INDEX sink_attempts_by_outcome \(sink=\? AND succeeded=\?\)$", d));
        Assert.Contains(plan, p => p.Detail.StartsWith("SEARCH f USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_claim_walks_the_due_index_in_order_without_sorting_the_backlog()
    {
        await using (var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath }))
        {
            await store.InitializeAsync(Ct);
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteStore.ClaimSql;
        explain.Parameters.AddWithValue("$sink", "s");
        explain.Parameters.AddWithValue("$now", 0);
        explain.Parameters.AddWithValue("$limit", 8);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(3));
            }
        }

        // The claimed items' events (their locators, for dispatch) are one lookup each by rowid (the event's sequence), not
        // a scan and not a search of the event-id index.
        Assert.Equal(
            ["SEARCH w USING INDEX sink_work_due (sink=? AND state=? AND next_attempt_at<?)", "SEARCH e USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN"],
            plan);
    }

    [Fact]
    public async Task An_ordered_claim_walks_the_ordered_index_in_handover_order_without_sorting_the_backlog()
    {
        await using (var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath }))
        {
            await store.InitializeAsync(Ct);
        }

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + SqliteStore.OrderedClaimSql;
        foreach (var name in new[] { "$sink", "$now", "$settled", "$limit" })
        {
            explain.Parameters.AddWithValue(name, 1);
        }

        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(3));
            }
        }

        // The first item met of each conversation is its first in handover order, so the walk stops after the heads it
        // takes; each check of a candidate is one seek.
        Assert.Equal("SEARCH w USING INDEX sink_work_ordered_pending (sink=? AND order_at>?)", plan[0]);
        Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE", StringComparison.Ordinal) || p.StartsWith("SCAN", StringComparison.Ordinal));
        Assert.All(plan.Skip(1).Where(p => !p.StartsWith("CORRELATED", StringComparison.Ordinal)), p => Assert.StartsWith("SEARCH", p));
    }

    private async Task<long> UserVersionAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
