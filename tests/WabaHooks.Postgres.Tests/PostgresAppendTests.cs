using System.Text;
using Npgsql;
using WabaHooks.Inbox;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

/// <summary>
/// The group commit is one multi-row statement in an implicit transaction: all of a batch or none of it, reported
/// stored only once the commit has been read, each id the one of its own delivery.
/// </summary>
public sealed class PostgresAppendTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static InboundDelivery Delivery(int n, string? traceParent = null) =>
        new(Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"), DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_000 + n), $"app-{n}", DeliveryFlags.None, traceParent);

    private async Task<(PostgresStore Store, string ConnectionString)> NewStoreAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connectionString });
        await store.InitializeAsync(Ct);
        return (store, connectionString);
    }

    [Fact]
    public async Task Each_delivery_of_a_batch_gets_the_id_of_its_own_row_in_batch_order()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;

        var batch = Enumerable.Range(0, 300).Select(n => Delivery(n, n % 3 == 0 ? $"00-{n:x32}-{n:x16}-01" : null)).ToArray();
        var ids = await store.AppendAsync(batch, Ct);

        Assert.Equal(batch.Length, ids.Count);
        Assert.Equal(ids.Order(), ids); // Inbox order within the batch is the batch's order.
        for (var i = 0; i < batch.Length; i++)
        {
            var stored = await store.GetAsync(ids[i], Ct);
            Assert.NotNull(stored);
            Assert.Equal(batch[i].Body.ToArray(), stored.Body);
            Assert.Equal(batch[i].AppId, stored.Summary.AppId);
            Assert.Equal(batch[i].ReceivedAt, stored.Summary.ReceivedAt);
            Assert.Equal(batch[i].Body.Length, stored.Summary.Length);
            Assert.Equal(batch[i].TraceParent, stored.Summary.TraceParent);
        }
    }

    [Fact]
    public async Task A_batch_with_one_delivery_the_server_refuses_stores_none_of_it()
    {
        var (store, _) = await NewStoreAsync();
        await using var _ = store;

        // PostgreSQL text cannot hold a NUL character: the whole statement, and so the whole batch, is refused.
        var batch = new[] { Delivery(1), Delivery(2, "00-\0-01"), Delivery(3) };
        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync(batch, Ct));

        Assert.Empty(await store.ListAsync(10, null, Ct));
        Assert.Single(await store.AppendAsync([Delivery(4)], Ct));
    }

    [Fact]
    public async Task An_append_whose_commit_fails_is_reported_failed_and_stores_nothing()
    {
        var (store, connectionString) = await NewStoreAsync();
        await using var _ = store;

        // A check deferred to the commit: the insert itself succeeds and its ids arrive, and only then does the commit
        // fail. An append that returned at the ids would have answered 200 for deliveries that were never stored.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand(
                """
                CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
                CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON deliveries
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit();
                """,
                connection);
            await command.ExecuteNonQueryAsync(Ct);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync([Delivery(1), Delivery(2)], Ct));
        Assert.Contains("refused at commit", (error.InnerException ?? error).Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync(10, null, Ct));
    }

    [Fact]
    public void The_stores_own_connections_keep_the_statements_it_repeats_prepared()
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresStore.ConnectionSettings("Host=db;Username=u"));
        Assert.Equal(PostgresStore.AutoPreparedStatements, settings.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;maxautoprepare=5", 5)]
    public void A_connection_string_that_sets_automatic_preparation_is_followed(string connectionString, int expected)
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresStore.ConnectionSettings(connectionString));
        Assert.Equal(expected, settings.MaxAutoPrepare);
    }
}
