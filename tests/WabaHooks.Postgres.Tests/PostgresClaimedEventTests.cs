using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

public sealed class PostgresClaimedEventTests(PostgresServer server) : ClaimedEventContract
{
    protected override async Task<object> CreateStoreAsync() =>
        new PostgresStore(new PostgresStoreOptions { ConnectionString = await server.CreateDatabaseAsync(), TimeProvider = Clock });
}
