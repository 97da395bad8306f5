using Microsoft.Playwright;
using WabaHooks.Dashboard.Tests.Browser;
using WabaHooks.Testing;
using static Microsoft.Playwright.Assertions;

namespace WabaHooks.Dashboard.Tests.Pages;

/// <summary>Finding one event among many, and a sent message's timeline.</summary>
public sealed class SearchTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_search_box_finds_an_event_by_its_wamid()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PostDeliveryAsync(TestDeliveries.TextMessages(20, "other"));
        await host.PostDeliveryAsync(ExamplePayloads.Read("messages-text.json"));
        await host.PostDeliveryAsync(ExamplePayloads.Read("messages-status-read.json"));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/events"));
        await Expect(page.Locator("tr[data-seq]")).ToHaveCountAsync(22);

        await page.GetByLabel("Search").FillAsync(TestDeliveries.TextWamid);
        await page.GetByLabel("Search").PressAsync("Enter");

        await Expect(page.Locator("tr[data-seq]")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-seq]")).ToContainTextAsync("msg:" + TestDeliveries.TextWamid);
        // The filter is in the address, so the result is a link to share.
        Assert.Contains("q=" + Uri.EscapeDataString(TestDeliveries.TextWamid), page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_message_shows_its_timeline_with_the_meta_error_code_explained()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.PostDeliveryAsync(ExamplePayloads.Read("messages-status-failed.json"));
        var page = await browser.NewPageAsync();
        await Await.UntilAsync(async () => (await host.Store.GetMessageStatusAsync("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=", TestContext.Current.CancellationToken)) is not null, "the status view");
        await page.GotoAsync(host.Url("/messages"));
        await page.GetByLabel("wamid").FillAsync("wamid.HBgMNDQ3NzAwOTAwNDU2FQIAERgSQkFEQzBGRkVFMDAwMDAwMQA=");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(page.Locator(".meta-error")).ToContainTextAsync("131049");
        await Expect(page.Locator(".meta-error")).ToContainTextAsync("Meta chose not to deliver");
        await Screenshots.TakeAsync(page, "messages");
    }
}
