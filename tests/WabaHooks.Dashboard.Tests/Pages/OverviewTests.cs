using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WabaHooks.Dashboard.Tests.Browser;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using static Microsoft.Playwright.Assertions;

namespace WabaHooks.Dashboard.Tests.Pages;

/// <summary>
/// Every example notification Meta sends, through a gateway with a healthy and a failing destination: each page
/// shows its part of it, at desktop and phone widths. The screenshots the README shows are taken here.
/// </summary>
public sealed class OverviewTests(BrowserFixture browser)
{
    [Fact]
    public async Task Every_page_shows_what_the_example_notifications_left_at_desktop_and_phone_widths()
    {
        await using var ok = await DestinationServer.StartAsync();
        await using var failing = await DestinationServer.StartAsync();
        failing.Respond = (_, _, _) => Task.FromResult<int?>(502);
        await using var host = await DashboardHost.StartAsync(hooks: h =>
        {
            var crm = TestDeliveries.Destination("crm", ok, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
            crm.Fields.Add("messages");
            h.AddDestination(crm);
            var analytics = TestDeliveries.Destination("analytics", failing, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
            analytics.Types.Add("statuses.*");
            h.AddDestination(analytics);
        });
        // Messages and statuses last, so the newest page shows them with their destinations' badges.
        var names = ExamplePayloads.Names.OrderBy(n => n.StartsWith("messages", StringComparison.Ordinal)).ToList();
        foreach (var name in names)
        {
            await host.PostDeliveryAsync(ExamplePayloads.Read(name));
        }

        await Await.UntilAsync(() => host.Store.ListDeliveryOutcomesAsync(1000, null, TestContext.Current.CancellationToken), o => o.Count == names.Count, "every delivery processed", TimeSpan.FromSeconds(30));
        await Await.UntilAsync(async () => (await host.Store.GetBacklogAsync(TestContext.Current.CancellationToken)).Any(b => b.Sink == "destination:analytics" && b.LastFailure is not null), "a failed attempt at analytics");

        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/events"));
        await Expect(page.Locator("tr[data-seq]")).ToHaveCountAsync(50);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older →" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "events");

        await page.GotoAsync(host.Url("/templates"));
        await Expect(page.Locator("tbody")).ToContainTextAsync("order_shipped (en_GB)");
        await Expect(page.Locator("tbody")).ToContainTextAsync("quality GREEN → YELLOW");
        await Screenshots.TakeAsync(page, "templates");

        await page.GotoAsync(host.Url("/phone-numbers"));
        await Expect(page.Locator("tbody")).ToContainTextAsync("UPGRADE: limit TIER_2K → TIER_10K");
        await Screenshots.TakeAsync(page, "phone-numbers");

        await page.GotoAsync(host.Url("/account"));
        await Expect(page.Locator("tbody")).ToContainTextAsync("DISABLED_UPDATE");
        await Screenshots.TakeAsync(page, "account-alerts");

        await page.GotoAsync(host.Url("/unrouted"));
        await Expect(page.Locator("tr[data-seq]").First).ToContainTextAsync("no sink");

        await page.GotoAsync(host.Url("/deliveries"));
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);

        var phone = await browser.NewPageAsync(width: 390, height: 844);
        await phone.GotoAsync(host.Url("/events"));
        await Expect(phone.Locator("tr[data-seq]").First).ToBeVisibleAsync();
        var overflow = await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The events page scrolls sideways at 390 px: only its table may.");
        await Screenshots.TakeAsync(phone, "events-phone");

        // Keyboard: the first Tab reaches the skip link, which moves focus to the page's content.
        await page.GotoAsync(host.Url("/events"));
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
    }
}
