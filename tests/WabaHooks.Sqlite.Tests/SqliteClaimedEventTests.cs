using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Sqlite.Tests;

public sealed class SqliteClaimedEventTests : ClaimedEventContract
{
    private readonly TempDirectory _dir = new();

    protected override Task<object> CreateStoreAsync() =>
        Task.FromResult<object>(new SqliteStore(new SqliteStoreOptions { DatabasePath = _dir.Combine("wabahooks.db"), TimeProvider = Clock }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
