using System.Text;
using Microsoft.Data.Sqlite;
using WabaHooks.Inbox;
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

    [Fact]
    public async Task A_body_that_is_a_slice_of_a_larger_buffer_is_stored_as_exactly_its_bytes()
    {
        // The inbox insert binds the body from its span: a slice must not bring its neighbours along.
        var buffer = Encoding.UTF8.GetBytes("xx{\"n\":1}yy");
        var ids = await Store.AppendAsync([new InboundDelivery(buffer.AsMemory(2, 7), DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_123), "app-1", DeliveryFlags.None)], Ct);

        var stored = await Store.GetAsync(ids[0], Ct);

        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(stored!.Body.Span));
        Assert.Equal(7, stored.Summary.Length);
    }

    [Fact]
    public async Task An_empty_body_is_stored_as_an_empty_blob_not_null()
    {
        var ids = await Store.AppendAsync([new InboundDelivery(ReadOnlyMemory<byte>.Empty, DateTimeOffset.FromUnixTimeMilliseconds(1_767_261_601_123), "app-1", DeliveryFlags.NotJson)], Ct);

        await using var connection = new SqliteConnection($"Data Source={Options.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(body), length(body) FROM deliveries WHERE id = $id;";
        command.Parameters.AddWithValue("$id", ids[0]);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("blob", reader.GetString(0));
        Assert.Equal(0, reader.GetInt64(1));
        Assert.Empty((await Store.GetAsync(ids[0], Ct))!.Body.ToArray());
    }

    [Fact]
    public async Task A_batch_with_a_row_sqlite_refuses_stores_none_of_it_and_the_next_batch_commits()
    {
        var store = (SqliteStore)Store;
        // Room for the first rows only: the batch fails part-way through, as on a disk that fills mid-commit.
        await store.AppendAsync([new InboundDelivery(new byte[16], DateTimeOffset.FromUnixTimeMilliseconds(1), "app-1", DeliveryFlags.None)], Ct);
        store.LimitWriterPages(20);
        var large = Enumerable.Range(0, 50).Select(_ => new InboundDelivery(new byte[8192], DateTimeOffset.FromUnixTimeMilliseconds(2), "app-1", DeliveryFlags.None)).ToList();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AppendAsync(large, Ct));

        // All or nothing: the one row from before, none of the failed batch; and a fresh writer connection commits.
        Assert.Single(await store.ListAsync(100, null, Ct));
        var next = await store.AppendAsync([new InboundDelivery(new byte[16], DateTimeOffset.FromUnixTimeMilliseconds(3), "app-1", DeliveryFlags.None)], Ct);
        Assert.NotNull(await store.GetAsync(next[0], Ct));
    }
}
