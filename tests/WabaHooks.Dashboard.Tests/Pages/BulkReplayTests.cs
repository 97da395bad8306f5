using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WabaHooks.Dashboard.Tests.Browser;
using WabaHooks.Hosting.Admin;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using static Microsoft.Playwright.Assertions;

namespace WabaHooks.Dashboard.Tests.Pages;

/// <summary>A bulk replay from a filter: counted first, then a job with progress that an operator can abort.</summary>
public sealed class BulkReplayTests(BrowserFixture browser)
{
    private const int Deliveries = 60;
    private const int PerDelivery = 100;

    [Fact]
    public async Task Bulk_replay_from_a_filter_reports_the_count_and_progress_and_can_be_aborted()
    {
        await using var server = await DestinationServer.StartAsync();
        await using var host = await DashboardHost.StartAsync(hooks: h => h.AddDestination(TestDeliveries.Destination("archive", server, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1))));
        var admin = (IAdminStore)host.Store;
        // Paused, so the archive receives nothing until the replay: the replay only queues, it never sends itself.
        await admin.SetSinkPausedAsync("destination:archive", true, DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken);
        for (var i = 0; i < Deliveries; i++)
        {
            await host.PostDeliveryAsync(TestDeliveries.TextMessages(PerDelivery, $"bulk{i}"));
        }

        await host.PostDeliveryAsync(ExamplePayloads.Read("messages-status-read.json"));
        const int total = Deliveries * PerDelivery;
        await Await.UntilAsync(() => admin.CountEventsAsync(new EventQuery { Type = "messages.text" }, TestContext.Current.CancellationToken), n => n == total, $"{total} text messages stored", TimeSpan.FromSeconds(60));

        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/events?type=messages.text"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Bulk replay or retry these…" }).ClickAsync();
        await page.Locator("select[name=sink]").SelectOptionAsync("destination:archive");
        await page.GetByRole(AriaRole.Button, new() { Name = "Count" }).ClickAsync();
        await Expect(page.Locator("#bulk-count")).ToContainTextAsync($"{total} events match");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Start replay of {total} events" }).ClickAsync();

        await Expect(page.Locator("#job-total")).ToHaveTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Abort" }).ClickAsync();
        await Expect(page.Locator("#job-progress")).ToContainTextAsync("aborted");
        var jobs = host.Services.GetService(typeof(BulkJobs)) as BulkJobs;
        var job = Assert.Single(jobs!.List());
        Assert.Equal(BulkJobState.Aborted, job.State);
        Assert.InRange(job.Processed, 0, total - 1);
        await Expect(page.Locator("#job-processed")).ToHaveTextAsync(job.Processed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Screenshots.TakeAsync(page, "bulk-replay");

        await page.GotoAsync(host.Url("/audit"));
        await Expect(page.Locator("tr.audit-entry").First).ToContainTextAsync("bulk-replay");
        await Expect(page.Locator("tr.audit-entry").First).ToContainTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Screenshots.TakeAsync(page, "audit");
    }
}
