using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Dashboard.Tests.Browser;
using static Microsoft.Playwright.Assertions;

namespace WabaHooks.Dashboard.Tests.Access;

/// <summary>With the admin tokens in use, the dashboard needs a login, and only an operator may act.</summary>
public sealed class LoginTests(BrowserFixture browser)
{
    private const string ViewerToken = "viewer-token-0123456789abcdef";
    private const string OperatorToken = "operator-token-0123456789abcdef";

    private static Task<DashboardHost> StartAsync() => DashboardHost.StartAsync(
        map: app => app.MapWabaHooksDashboard("/wabahooks").RequireAuthorization(WabaHooksAdminPolicies.Viewer),
        admin: o =>
        {
            o.ViewerToken = ViewerToken;
            o.OperatorToken = OperatorToken;
        });

    [Fact]
    public async Task Without_a_token_the_dashboard_shows_only_the_login_form()
    {
        await using var host = await StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/events"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/wabahooks/login"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Live events" })).ToHaveCountAsync(0);

        var wrong = await page.GotoAsync(host.Url("/login?t=not-a-token-at-all-0000"));
        Assert.Equal((int)HttpStatusCode.Unauthorized, wrong!.Status);
        var api = await page.APIRequest.GetAsync(host.Url("/api/events"));
        Assert.Equal((int)HttpStatusCode.Unauthorized, api.Status);
    }

    [Fact]
    public async Task A_viewer_reads_the_pages_but_gets_403_on_every_operator_action()
    {
        await using var host = await StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/login?t=" + ViewerToken));
        await page.GotoAsync(host.Url("/destinations"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Destinations" })).ToBeVisibleAsync();
        await Expect(page.GetByText("(viewer)")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToHaveCountAsync(0);

        // The session cookie travels with these calls, as it would with a form the viewer forged.
        foreach (var path in new[] { "/actions/pause", "/actions/retry", "/actions/bulk", "/api/destinations/destination:crm/pause" })
        {
            var response = await page.APIRequest.PostAsync(host.Url(path), new()
            {
                Data = "sink=destination%3Acrm",
                Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
            });
            Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        }
    }

    [Fact]
    public async Task An_operator_logged_in_with_the_one_click_url_sees_the_actions()
    {
        await using var host = await StartAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(host.Url("/login?t=" + OperatorToken));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/wabahooks/events$"));
        await Expect(page.GetByText("(operator)")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Bulk replay or retry these…" })).ToBeVisibleAsync();
        // The token never stays in the address bar.
        Assert.DoesNotContain(OperatorToken, page.Url, StringComparison.Ordinal);
    }
}
