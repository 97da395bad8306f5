using WabaHooks.Storage;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

public sealed class PostgresAdminStoreTests(PostgresServer server) : AdminStoreContract
{
    protected override async Task<IWabaHooksStore> CreateStoreAsync() =>
        new PostgresStore(new PostgresStoreOptions { ConnectionString = await server.CreateDatabaseAsync(), TimeProvider = Clock });
}
