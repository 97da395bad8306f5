using Npgsql;
using WabaHooks.Storage;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

public sealed class PostgresSchemaTests(PostgresServer server)
{
    // The last schema version before sink_work had scheduled_at.
    private const int VersionBeforeScheduledAt = 1;

    // The last schema version whose deliveries rows held the processor's outcome.
    private const int VersionBeforeOutcomeTables = 9;

    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_123);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_database_from_before_scheduled_at_migrates_and_keeps_its_work_scheduled_at_its_last_change()
    {
        var database = await server.CreateDatabaseAsync();
        await using (var old = NpgsqlDataSource.Create(database))
        {
            await PostgresSchema.MigrateAsync(old, new PostgresLockTimeout(TimeSpan.FromSeconds(2)), VersionBeforeScheduledAt, Ct);
            // Exactly the columns the previous release wrote.
            await using var insert = old.CreateCommand(
                """
                INSERT INTO sink_work (event_id, sink, event_seq, delivery_id, state, attempts, next_attempt_at, lease_until, last_error, updated_at) VALUES
                    ('pending', 's', 1, 7, 0, 1, @next, 0, 'HTTP 500', @pending_changed),
                    ('dead',    's', 2, 7, 2, 5, @next, 0, 'boom',     @dead_changed);
                """);
            insert.Parameters.AddWithValue("next", T0.AddMinutes(1).ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("pending_changed", T0.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("dead_changed", T0.AddSeconds(30).ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        await store.InitializeAsync(Ct);

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
        var database = await server.CreateDatabaseAsync();
        await using (var old = NpgsqlDataSource.Create(database))
        {
            await PostgresSchema.MigrateAsync(old, new PostgresLockTimeout(TimeSpan.FromSeconds(2)), VersionBeforeOutcomeTables, Ct);
            // As the previous release left them: one processed, one that failed to split, one waiting.
            await using var insert = old.CreateCommand(
                """
                INSERT INTO deliveries (id, received_at, app_id, length, flags, body, processed_at, event_count, duplicate_count, parse_error) OVERRIDING SYSTEM VALUE VALUES
                    (1, 10, 'app', 2, 0, '\x7b7d', 100, 3, 1, NULL),
                    (2, 20, 'app', 2, 0, '\x7b7d', 200, 0, 0, 'not JSON'),
                    (3, 30, 'app', 2, 0, '\x7b7d', NULL, NULL, NULL, NULL);
                SELECT setval(pg_get_serial_sequence('deliveries', 'id'), 3);
                """);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        await store.InitializeAsync(Ct);

        await OutcomeMigration.AssertMovedOutAsync(store, Ct);

        // A new delivery waits too, whoever inserts it (the trigger queues it), and reprocessing a failed one puts it
        // back in line.
        var added = await store.AppendAsync([new WabaHooks.Inbox.InboundDelivery("{}"u8.ToArray(), T0, "app", WabaHooks.Inbox.DeliveryFlags.None, null)], Ct);
        await using (var other = NpgsqlDataSource.Create(database))
        await using (var insert = other.CreateCommand("INSERT INTO deliveries (received_at, app_id, length, flags, body) VALUES (40, 'app', 2, 0, '\\x7b7d');"))
        {
            await insert.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal([2L], await store.ReprocessAsync(null, Ct));
        Assert.Equal([2L, 3L, added[0], added[0] + 1], (await store.ReadUnprocessedAsync(10, Ct)).Select(d => d.Summary.Id));
        Assert.Empty(await store.ListFailedDeliveriesAsync(10, null, Ct));
    }

    [Fact]
    public async Task The_backlog_can_find_each_sinks_latest_success_and_failure_through_the_outcome_index()
    {
        var database = await server.CreateDatabaseAsync();
        await using (var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = database }))
        {
            await store.InitializeAsync(Ct);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        // An empty table is cheapest to scan, so the planner would pick a scan whatever the indexes: with scans priced
        // out, the plan shows whether the query can be answered from the index at all.
        await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off;", connection, transaction))
        {
            await off.ExecuteNonQueryAsync(Ct);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + PostgresStore.BacklogSql, connection, transaction);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        Assert.DoesNotContain("Seq Scan on sink_attempts", text, StringComparison.Ordinal);
        Assert.Equal(2, plan.Count(line => line.Contains("Scan Backward using sink_attempts_by_outcome on sink_attempts", StringComparison.Ordinal)));
    }
}
