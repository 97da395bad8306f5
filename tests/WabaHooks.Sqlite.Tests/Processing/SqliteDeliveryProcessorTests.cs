using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Sqlite.Tests.Processing;

public sealed class SqliteDeliveryProcessorTests : DeliveryProcessorContract
{
    private readonly TempDirectory _dir = new();

    protected override Task<IWabaHooksStore> CreateStoreAsync() =>
        Task.FromResult<IWabaHooksStore>(new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db") }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
