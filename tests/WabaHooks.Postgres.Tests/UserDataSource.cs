using Npgsql;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

/// <summary>
/// A data source as an app builds and owns it (Npgsql's <c>AddNpgsqlDataSource</c> builds one the same way), on a
/// database of its own. The store is given it, and must leave it open and working when the store is disposed.
/// </summary>
internal sealed class UserDataSource(PostgresServer server) : IAsyncDisposable
{
    private NpgsqlDataSource? _dataSource;

    /// <summary>The database's connection string, for other sessions of the test's own.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task<NpgsqlDataSource> GetAsync()
    {
        if (_dataSource is null)
        {
            ConnectionString = await server.CreateDatabaseAsync();
            _dataSource = new NpgsqlDataSourceBuilder(ConnectionString).Build();
        }

        return _dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is null)
        {
            return;
        }

        // The stores are disposed by now: the data source is still the app's, and still works.
        await using (var command = _dataSource.CreateCommand("SELECT 1;"))
        {
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        await _dataSource.DisposeAsync();
    }
}
