using Microsoft.Playwright;
using WabaHooks.Dashboard.Tests.Browser;
using WabaHooks.Testing;
using static Microsoft.Playwright.Assertions;

namespace WabaHooks.Dashboard.Tests.Pages;

/// <summary>The live events page in a real browser.</summary>
public sealed class LiveEventsTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_delivery_posted_while_the_live_page_is_open_appears_within_two_seconds_without_a_reload()
    {
        await using var host = await DashboardHost.StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/events"));
        await Expect(page.GetByText("No events yet")).ToBeVisibleAsync();
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        await host.PostDeliveryAsync(ExamplePayloads.Read("messages-text.json"));

        await Expect(page.Locator("tbody tr[data-seq]").Filter(new() { HasText = "messages.text" }))
            .ToBeVisibleAsync(new() { Timeout = 2_000 });
        Assert.Equal(0, navigations);
    }
}
