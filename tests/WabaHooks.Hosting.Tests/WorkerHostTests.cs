using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaHooks.Hosting.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WabaHooks.Testing;

namespace WabaHooks.Hosting.Tests;

/// <summary>WabaHooks runs in a plain generic host: no ASP.NET Core, no endpoint, the same services and health checks.</summary>
public sealed class WorkerHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_worker_service_starts_WabaHooks_and_reports_ready()
    {
        using var dir = new TempDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWabaHooks(o =>
        {
            o.VerifyToken = "token";
            o.AppSecrets.Add(new Signatures.AppSecret("app", "secret"));
        }).UseSqlite(dir.Path);
        using var host = builder.Build();
        await host.StartAsync(Ct);
        try
        {
            var health = host.Services.GetRequiredService<HealthCheckService>();
            var report = await health.CheckHealthAsync(c => c.Tags.Contains(WabaHooksHealthChecks.ReadyTag), Ct);
            Assert.Equal(HealthStatus.Healthy, report.Status);
            Assert.Equal([WabaHooksHealthChecks.Inbox, WabaHooksHealthChecks.Processor], report.Entries.Keys.Order(StringComparer.Ordinal));
        }
        finally
        {
            await host.StopAsync(Ct);
        }
    }
}
