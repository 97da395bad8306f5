using Microsoft.Data.Sqlite;
using WabaHooks.Sqlite;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Sqlite.Tests;

public sealed class SqliteDeliveryStoreTests : DeliveryStoreContract
{
    private readonly TempDirectory _dir = new();

    private SqliteStoreOptions Options => new()
    {
        DatabasePath = _dir.Combine("wabahooks.db"),
        BusyTimeout = TimeSpan.FromMilliseconds(300),
    };

    protected override Task<IDeliveryStore> CreateStoreAsync() => Task.FromResult<IDeliveryStore>(new SqliteStore(Options));

    protected override Task<IDeliveryStore> ReopenStoreAsync() => Task.FromResult<IDeliveryStore>(new SqliteStore(Options));

    protected override Task<IAsyncDisposable> HoldWriteLockAsync() =>
        Task.FromResult<IAsyncDisposable>(SqliteWriteLock.Hold(Options.DatabasePath));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_database_runs_in_wal_mode_with_full_synchronous_commits()
    {
        await using var connection = new SqliteConnection($"Data Source={Options.DatabasePath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));

        // synchronous is per connection: check the store's own setting through its writer path.
        var store = (SqliteStore)Store;
        Assert.Equal(2, store.WriterSynchronousMode()); // 2 = FULL
    }
}
