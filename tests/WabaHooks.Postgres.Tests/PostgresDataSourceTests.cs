using System.Text;
using Npgsql;
using WabaHooks.Inbox;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

/// <summary>
/// A store on a data source the app owns: it cannot put the lock timeout in the connection string, must leave the
/// app's sessions as it found them, and must never let the lease's lock go back to the app's pool.
/// </summary>
public sealed class PostgresDataSourceTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static InboundDelivery Delivery() =>
        new(Encoding.UTF8.GetBytes("{}"), DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_123), "app-1", DeliveryFlags.None);

    // One connection, kept as it is between uses (no DISCARD ALL): whatever a store leaves in a session, the next
    // user of the pool finds.
    private static NpgsqlDataSource SingleSessionPool(string connectionString) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1, NoResetOnClose = true });

    [Fact]
    public async Task An_append_behind_another_sessions_lock_fails_as_unavailable_instead_of_waiting_for_it()
    {
        await using var user = new UserDataSource(server);
        await using var store = new PostgresStore(await user.GetAsync(), new PostgresStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        await store.InitializeAsync(Ct);

        await using (await TableLock.HoldAsync(user.ConnectionString))
        {
            // Bounded by the lock timeout; the wait here only turns a hang into a failure.
            var append = store.AppendAsync([Delivery()], Ct).WaitAsync(Await.Bound, Ct);
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => append);
            Assert.Equal(PostgresErrorCodes.LockNotAvailable, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        }

        Assert.Single(await store.AppendAsync([Delivery()], Ct));
    }

    [Fact]
    public async Task A_read_behind_a_lock_that_blocks_reads_fails_as_unavailable_too()
    {
        await using var user = new UserDataSource(server);
        await using var store = new PostgresStore(await user.GetAsync(), new PostgresStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        await store.InitializeAsync(Ct);

        // ACCESS EXCLUSIVE, as DDL takes: the one lock a plain SELECT waits for.
        await using (await TableLock.HoldAsync(user.ConnectionString))
        {
            var list = store.ListAsync(10, null, Ct).WaitAsync(Await.Bound, Ct);
            await Assert.ThrowsAsync<StoreUnavailableException>(() => list);
        }
    }

    [Fact]
    public async Task The_store_leaves_the_lock_timeout_of_the_apps_sessions_as_it_found_it()
    {
        var database = await server.CreateDatabaseAsync();
        await using var dataSource = SingleSessionPool(database);
        await using (var store = new PostgresStore(dataSource, new PostgresStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(1234) }))
        {
            await store.InitializeAsync(Ct);
            await store.AppendAsync([Delivery()], Ct);
            await store.CheckWritableAsync(Ct);
            Assert.Single(await store.ListAsync(10, null, Ct));
        }

        // The pool's one session, which every statement above ran on.
        await using var command = dataSource.CreateCommand("SHOW lock_timeout;");
        Assert.Equal("0", await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task The_lease_goes_back_to_the_apps_pool_without_its_lock_and_another_instance_takes_it()
    {
        var database = await server.CreateDatabaseAsync();
        await using var dataSource = SingleSessionPool(database);
        await using var otherInstance = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        var first = new PostgresStore(dataSource);
        await first.InitializeAsync(Ct);

        Assert.True(await first.TryHoldProcessingLeaseAsync(Ct));
        Assert.False(await otherInstance.TryHoldProcessingLeaseAsync(Ct));

        await first.DisposeAsync();

        Assert.True(await otherInstance.TryHoldProcessingLeaseAsync(Ct));
        // The app's data source still works, and its one session — the lease's — holds no lock.
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid();");
        Assert.Equal(0L, await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_lease_connection_that_cannot_be_unlocked_is_closed_rather_than_pooled()
    {
        var database = await server.CreateDatabaseAsync();
        await using var dataSource = SingleSessionPool(database);
        var connection = await dataSource.OpenConnectionAsync(Ct);
        var leaseSession = connection.ProcessID;
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(42);", connection))
        {
            await take.ExecuteScalarAsync(Ct);
        }

        // A session that is alive but answers every statement with an error, as an unlock that fails would leave it.
        await using (var fail = new NpgsqlCommand("BEGIN; SELECT 1 / 0;", connection))
        {
            await Assert.ThrowsAsync<PostgresException>(() => fail.ExecuteNonQueryAsync(Ct));
        }

        await PostgresStore.CloseLeaseConnectionAsync(dataSource, connection);

        await using var next = await dataSource.OpenConnectionAsync(Ct);
        Assert.NotEqual(leaseSession, next.ProcessID);
        await Await.UntilAsync(
            async () =>
            {
                await using var free = new NpgsqlCommand("SELECT pg_try_advisory_lock(42);", next);
                return await free.ExecuteScalarAsync(Ct) is true;
            },
            "the closed session's lock to be freed");
    }

    [Fact]
    public async Task A_data_source_that_multiplexes_is_refused_since_the_lease_needs_a_session_of_its_own()
    {
        await using var multiplexing = NpgsqlDataSource.Create("Host=127.0.0.1;Multiplexing=true");

        Assert.Throws<ArgumentException>(() => new PostgresStore(multiplexing));
        Assert.Throws<ArgumentException>(() => new PostgresStore(new PostgresStoreOptions { ConnectionString = "Host=127.0.0.1;Multiplexing=true" }));
    }

    [Fact]
    public async Task A_negative_lock_timeout_is_refused_before_anything_connects()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1");

        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresStore(dataSource, new PostgresStoreOptions { LockTimeout = TimeSpan.FromSeconds(-1) }));
    }
}
