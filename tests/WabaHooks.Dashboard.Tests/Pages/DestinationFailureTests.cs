using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WabaHooks.Dashboard.Tests.Browser;
using WabaHooks.Storage;
using WabaHooks.Testing;
using WabaHooks.Testing.Destinations;
using static Microsoft.Playwright.Assertions;

namespace WabaHooks.Dashboard.Tests.Pages;

/// <summary>A destination that fails, as the operator sees it and fixes it from the event page.</summary>
public sealed class DestinationFailureTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_failing_destination_shows_the_attempt_with_its_status_code_and_next_retry()
    {
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(503);
        await using var host = await DashboardHost.StartAsync(hooks: h => h.AddDestination(TestDeliveries.Destination("crm", server, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1))));
        await host.PostDeliveryAsync(ExamplePayloads.Read("messages-text.json"));
        var eventId = "msg:" + TestDeliveries.TextWamid;
        await Await.UntilAsync(async () => (await host.Store.ListAttemptsAsync(eventId, null, TestContext.Current.CancellationToken)).Count > 0, "the first attempt to crm");

        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/events"));
        await Expect(page.Locator("tr[data-seq]").First.GetByText("failing 503").Or(page.Locator("tr[data-seq]").First.GetByText("failing"))).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "messages.text" }).ClickAsync();

        var card = page.Locator("section.card", new() { HasText = "destination:crm" });
        await Expect(card.Locator("tr.attempt").First).ToContainTextAsync("HTTP 503");
        await Expect(card.Locator(".next-retry")).ToContainTextAsync("next try in");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Retry now" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "event-detail");

        await page.GotoAsync(host.Url("/destinations"));
        await Expect(page.Locator("section.destination", new() { HasText = "crm" })).ToContainTextAsync("Last failure");
        await Screenshots.TakeAsync(page, "destinations");

        // Send test: the receiver's answer is said at once, and the test is in the audit log.
        var received = server.Received.Count;
        await page.Locator("section.destination", new() { HasText = "crm" }).GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Test to destination:crm: HTTP 503 in");
        Assert.True(server.Received.Count > received, "the test reached the receiver");
        await page.GotoAsync(host.Url("/audit"));
        await Expect(page.Locator("tr.audit-entry").First).ToContainTextAsync("test");
    }

    [Fact]
    public async Task Retry_on_a_dead_letter_makes_a_new_attempt_that_succeeds_once_the_receiver_is_back()
    {
        await using var server = await DestinationServer.StartAsync();
        server.Respond = (_, _, _) => Task.FromResult<int?>(500);
        await using var host = await DashboardHost.StartAsync(hooks: h => h.AddDestination(TestDeliveries.Destination("crm", server, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200))));
        await host.PostDeliveryAsync(ExamplePayloads.Read("messages-text.json"));
        var eventId = "msg:" + TestDeliveries.TextWamid;
        await Await.UntilAsync(async () => (await host.Store.ListDeadLettersAsync(null, 10, TestContext.Current.CancellationToken)).Count == 1, "the event dead-lettered at crm");
        var attemptsBefore = (await host.Store.ListAttemptsAsync(eventId, null, TestContext.Current.CancellationToken)).Count;

        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/failures"));
        await Expect(page.Locator("tbody tr", new() { HasText = "crm" })).ToContainTextAsync("HTTP 500");
        await Screenshots.TakeAsync(page, "failures");

        await page.GotoAsync(host.Url("/event?id=" + Uri.EscapeDataString(eventId)));
        var card = page.Locator("section.card", new() { HasText = "destination:crm" });
        await Expect(card).ToContainTextAsync("dead");
        server.Respond = (_, _, _) => Task.FromResult<int?>(200);
        await card.GetByRole(AriaRole.Button, new() { Name = "Retry now" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Retry of destination:crm scheduled now.");

        await Await.UntilAsync(async () => (await host.Store.ListAttemptsAsync(eventId, null, TestContext.Current.CancellationToken)).LastOrDefault()?.Succeeded == true, "a successful attempt after the retry");
        await page.ReloadAsync();
        card = page.Locator("section.card", new() { HasText = "destination:crm" });
        await Expect(card.Locator("h3")).ToContainTextAsync("delivered");
        await Expect(card.Locator("tr.attempt")).ToHaveCountAsync(attemptsBefore + 1);
        await Expect(card.Locator("tr.attempt").Last).ToContainTextAsync("HTTP 200");

        await page.GotoAsync(host.Url("/audit"));
        await Expect(page.Locator("tr.audit-entry").First).ToContainTextAsync("retry");
        await Expect(page.Locator("tr.audit-entry").First).ToContainTextAsync(eventId);
    }
}
