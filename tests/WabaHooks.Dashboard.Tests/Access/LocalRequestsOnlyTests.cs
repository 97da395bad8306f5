using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace WabaHooks.Dashboard.Tests.Access;

/// <summary>
/// With no authorization policy the dashboard admits requests from this machine only. A reverse proxy in front of
/// it makes every request arrive from loopback; the forwarded client address is what counts, so the dashboard is not
/// opened to the internet by the proxy (Hangfire's security advisory, when its local-only default was dropped).
/// </summary>
public sealed class LocalRequestsOnlyTests
{
    [Fact]
    public async Task Without_a_policy_a_local_request_reads_the_dashboard()
    {
        await using var host = await DashboardHost.StartAsync();
        using var response = await host.Client.GetAsync(host.Url("/events"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Live events", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_policy_a_request_forwarded_from_another_machine_is_refused()
    {
        await using var host = await DashboardHost.StartAsync(map: app =>
        {
            // As behind nginx: the proxy (loopback, trusted by default) names the real client in X-Forwarded-For.
            app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor });
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapWabaHooksDashboard("/wabahooks");
        });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var path in new[] { "/events", "/assets/dashboard.css", "/destinations", "/api/events" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, host.Url(path));
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            // Refused: the API answers 401, a page sends the browser to the login form, which admits no one here.
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Contains("/wabahooks/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Mapping_without_registering_the_dashboard_says_what_to_call()
    {
        var builder = WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();
        var error = Assert.Throws<InvalidOperationException>(() => app.MapWabaHooksDashboard());
        Assert.Contains("AddDashboard()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_carries_a_strict_content_security_policy()
    {
        await using var host = await DashboardHost.StartAsync();
        using var response = await host.Client.GetAsync(host.Url("/events"), TestContext.Current.CancellationToken);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
    }
}
