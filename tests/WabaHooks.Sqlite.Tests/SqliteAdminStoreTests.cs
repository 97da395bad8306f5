using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Sqlite.Tests;

public sealed class SqliteAdminStoreTests : AdminStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override Task<IWabaHooksStore> CreateStoreAsync() =>
        Task.FromResult<IWabaHooksStore>(new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db"), TimeProvider = Clock }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
