using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WabaHooks.Hosting.Health;
using WabaHooks.Hosting.Inbox;
using WabaHooks.Hosting.Replay;
using WabaHooks.Hosting.Tests.Handlers;
using WabaHooks.Hosting.Tests.Support;
using WabaHooks.Payloads;
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

    [Fact]
    public async Task A_worker_service_runs_handlers_for_deliveries_another_process_received_into_the_same_store()
    {
        using var dir = new TempDirectory();
        byte[][] bodies = [Notifications.Example("messages-text.json"), Notifications.Example("messages-image.json")];
        var text = Assert.Single(Notifications.EventsOf(bodies[0])).Id;
        await ReceivingProcess.AppendAsync(dir.Path, bodies[0]);

        // The worker receives nothing itself: it processes what the receiving process stored, before and after it started.
        await using var worker = await Worker.StartAsync(
            dir.Path,
            hooks => hooks.On<TextMessage, TextRecorder>().On<InboundMessage, MessageRecorder>(),
            s => s.AddSingleton<Received>());
        var received = worker.Services.GetRequiredService<Received>();
        await WabaHooks.Testing.Await.UntilAsync(() => received.EventIds("handler:On<InboundMessage,MessageRecorder>").Count == 1, "the message stored before the worker started");
        await ReceivingProcess.AppendAsync(dir.Path, bodies[1]);
        await WabaHooks.Testing.Await.UntilAsync(() => received.EventIds("handler:On<InboundMessage,MessageRecorder>").Count == 2, "the message stored while it runs");

        Assert.Equal([text], received.EventIds("handler:On<TextMessage,TextRecorder>"));
        Assert.Equal(
            [text, Assert.Single(Notifications.EventsOf(bodies[1])).Id],
            received.EventIds("handler:On<InboundMessage,MessageRecorder>"));
    }

    [Fact]
    public void An_admin_api_finds_replay_and_inbox_review_among_the_services_once_a_store_is_chosen()
    {
        using var dir = new TempDirectory();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWabaHooks(_ => { }).UseSqlite(dir.Path);
        using var host = builder.Build();

        Assert.NotNull(host.Services.GetService<SinkReplay>());
        Assert.NotNull(host.Services.GetService<InboxReview>());
    }
}
