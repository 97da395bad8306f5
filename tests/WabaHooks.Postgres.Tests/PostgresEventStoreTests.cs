using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

public sealed class PostgresEventStoreTests(PostgresServer server) : EventStoreContract
{
    protected override async Task<object> CreateStoreAsync() =>
        new PostgresStore(new PostgresStoreOptions { ConnectionString = await server.CreateDatabaseAsync(), TimeProvider = Clock });
}

public sealed class PostgresProcessingLeaseTests(PostgresServer server)
{
    [Fact]
    public async Task One_instance_at_a_time_holds_the_processing_lease_and_another_takes_it_when_the_first_goes()
    {
        var database = await server.CreateDatabaseAsync();
        var first = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        await using var second = new PostgresStore(new PostgresStoreOptions { ConnectionString = database });
        await first.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.True(await first.TryHoldProcessingLeaseAsync(TestContext.Current.CancellationToken));
        Assert.True(await first.TryHoldProcessingLeaseAsync(TestContext.Current.CancellationToken));
        Assert.False(await second.TryHoldProcessingLeaseAsync(TestContext.Current.CancellationToken));

        await first.DisposeAsync();

        Assert.True(await second.TryHoldProcessingLeaseAsync(TestContext.Current.CancellationToken));
    }
}
