using Npgsql;
using WabaHooks.Storage;

namespace WabaHooks.Postgres.Tests;

/// <summary>
/// How server errors reach the gateway. A full disk on the PostgreSQL server is an outage (the endpoint answers 503,
/// Meta retries, the processor pauses and resumes), never a fault of the delivery being written.
/// </summary>
public sealed class PostgresErrorMappingTests
{
    private static Task<int> Failing(Exception error) => PostgresStore.Guard<int>(() => throw error);

    [Fact]
    public async Task A_full_disk_on_the_server_is_an_outage_that_says_so()
    {
        var diskFull = new PostgresException(
            "could not extend file \"base/16384/16402\": No space left on device", "ERROR", "ERROR", PostgresErrorCodes.DiskFull);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => Failing(diskFull));

        Assert.Equal("53100", PostgresErrorCodes.DiskFull);
        Assert.Same(diskFull, error.InnerException);
        Assert.Contains("disk is full (53100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PostgresErrorCodes.OutOfMemory)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    public async Task Other_server_side_failures_are_outages_too(string sqlState)
    {
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => Failing(new PostgresException("boom", "FATAL", "FATAL", sqlState)));

        Assert.IsType<PostgresException>(error.InnerException);
    }

    [Fact]
    public async Task A_connection_broken_by_a_server_panic_is_an_outage()
    {
        // When the server cannot write its own write-ahead log it PANICs and restarts: the client sees the connection go.
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        await Assert.ThrowsAsync<StoreUnavailableException>(() => Failing(broken));
    }
}
