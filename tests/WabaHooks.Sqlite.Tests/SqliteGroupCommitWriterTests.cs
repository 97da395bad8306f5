using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Sqlite.Tests;

public sealed class SqliteGroupCommitWriterTests : GroupCommitWriterContract
{
    private readonly TempDirectory _dir = new();

    private string DatabasePath => _dir.Combine("wabahooks.db");

    protected override Task<IDeliveryStore> CreateStoreAsync() =>
        Task.FromResult<IDeliveryStore>(new SqliteStore(new SqliteStoreOptions { DatabasePath = DatabasePath, BusyTimeout = TimeSpan.FromMilliseconds(300) }));

    protected override Task<IAsyncDisposable> HoldWriteLockAsync() => Task.FromResult<IAsyncDisposable>(SqliteWriteLock.Hold(DatabasePath));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
