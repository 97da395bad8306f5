using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using WabaHooks.Hosting.Health;
using WabaHooks.Storage;
using WabaHooks.Testing.Storage;

namespace WabaHooks.Postgres.Tests;

/// <summary><c>UsePostgres</c> with a data source, in a plain generic host as an app would write it.</summary>
public sealed class PostgresHostTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WabaHooks.Hosting.WabaHooksBuilder AddWabaHooks(HostApplicationBuilder builder) =>
        builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "token";
            o.AppSecrets.Add(new Signatures.AppSecret("app", "secret"));
        });

    /// <summary>Starts the host, checks it is ready (the store migrated and writable), and stops it.</summary>
    private static async Task RunAsync(IHost host)
    {
        await host.StartAsync(Ct);
        try
        {
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(WabaHooksHealthChecks.ReadyTag), Ct);
            Assert.Equal(HealthStatus.Healthy, report.Status);
        }
        finally
        {
            await host.StopAsync(Ct);
        }
    }

    private static void AssertEveryStoreIsThePostgresStore(IServiceProvider services)
    {
        var store = Assert.IsType<PostgresStore>(services.GetRequiredService<IDeliveryStore>());
        Assert.Same(store, services.GetRequiredService<IEventStore>());
        Assert.Same(store, services.GetRequiredService<ISinkWorkStore>());
    }

    [Fact]
    public async Task UsePostgres_with_the_apps_data_source_serves_every_store_and_leaves_the_data_source_open()
    {
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        var builder = Host.CreateApplicationBuilder();
        AddWabaHooks(builder).UsePostgres(dataSource, o => o.LockTimeout = TimeSpan.FromSeconds(1));

        using (var host = builder.Build())
        {
            AssertEveryStoreIsThePostgresStore(host.Services);
            await RunAsync(host);
        }

        await using var command = dataSource.CreateCommand("SELECT count(*) FROM deliveries;");
        Assert.Equal(0L, await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task UsePostgres_takes_the_data_source_registered_in_the_container()
    {
        var database = await server.CreateDatabaseAsync();
        var builder = Host.CreateApplicationBuilder();
        // What Npgsql.DependencyInjection's AddNpgsqlDataSource registers: a singleton the container builds and disposes.
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database));
        AddWabaHooks(builder).UsePostgres(services => services.GetRequiredService<NpgsqlDataSource>());

        using var host = builder.Build();

        AssertEveryStoreIsThePostgresStore(host.Services);
        await RunAsync(host);
    }
}
