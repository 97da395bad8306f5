using WabaHooks.Storage;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

// The store contracts again, on a data source the app owns: the lock timeout is set per transaction there, not on the
// connection, and the lease shares the app's pool.

public sealed class PostgresDataSourceDeliveryStoreTests(PostgresServer server) : DeliveryStoreContract
{
    private readonly UserDataSource _user = new(server);

    private async Task<PostgresStore> NewStoreAsync() =>
        new(await _user.GetAsync(), new PostgresStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });

    protected override async Task<IDeliveryStore> CreateStoreAsync() => await NewStoreAsync();

    protected override async Task<IDeliveryStore> ReopenStoreAsync() => await NewStoreAsync();

    protected override async Task<IAsyncDisposable> HoldWriteLockAsync() => await TableLock.HoldAsync(_user.ConnectionString);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _user.DisposeAsync();
    }
}

public sealed class PostgresDataSourceEventStoreTests(PostgresServer server) : EventStoreContract
{
    private readonly UserDataSource _user = new(server);

    protected override async Task<object> CreateStoreAsync() =>
        new PostgresStore(await _user.GetAsync(), new PostgresStoreOptions { TimeProvider = Clock });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _user.DisposeAsync();
    }
}

public sealed class PostgresDataSourcePoisonDeliveryTests(PostgresServer server) : PoisonDeliveryContract
{
    private readonly UserDataSource _user = new(server);

    protected override async Task<IWabaHooksStore> CreateStoreAsync() => new PostgresStore(await _user.GetAsync());

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _user.DisposeAsync();
    }
}
