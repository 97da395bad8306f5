using Npgsql;
using WabaHooks.Storage;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

public sealed class PostgresDeliveryStoreTests(PostgresServer server) : DeliveryStoreContract
{
    private string? _connectionString;

    private async Task<PostgresStore> NewStoreAsync()
    {
        _connectionString ??= await server.CreateDatabaseAsync();
        return new PostgresStore(new PostgresStoreOptions { ConnectionString = _connectionString, LockTimeout = TimeSpan.FromMilliseconds(300) });
    }

    protected override async Task<IDeliveryStore> CreateStoreAsync() => await NewStoreAsync();

    protected override async Task<IDeliveryStore> ReopenStoreAsync() => await NewStoreAsync();

    protected override async Task<IAsyncDisposable> HoldWriteLockAsync() => await TableLock.HoldAsync(_connectionString!);
}

/// <summary>Another session holding an exclusive lock on the inbox until disposed: every write waits, then fails.</summary>
internal sealed class TableLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private TableLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<TableLock> HoldAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE deliveries IN ACCESS EXCLUSIVE MODE;", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new TableLock(connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.RollbackAsync();
        await _connection.DisposeAsync();
    }
}
