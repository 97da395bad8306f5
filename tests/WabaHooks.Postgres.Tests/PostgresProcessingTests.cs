using WabaHooks.Storage;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

public sealed class PostgresDeliveryProcessorTests(PostgresServer server) : DeliveryProcessorContract
{
    protected override async Task<IWabaHooksStore> CreateStoreAsync() =>
        new PostgresStore(new PostgresStoreOptions { ConnectionString = await server.CreateDatabaseAsync() });
}

public sealed class PostgresGroupCommitWriterTests(PostgresServer server) : GroupCommitWriterContract
{
    private string? _connectionString;

    protected override async Task<IDeliveryStore> CreateStoreAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString, LockTimeout = TimeSpan.FromMilliseconds(300) });
    }

    protected override async Task<IAsyncDisposable> HoldWriteLockAsync() => await TableLock.HoldAsync(_connectionString!);
}
