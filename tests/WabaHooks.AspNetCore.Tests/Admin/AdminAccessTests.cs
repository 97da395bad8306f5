using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Admin;

public sealed class AdminAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_api_call_without_a_token_is_refused_and_a_page_redirects_to_the_login_form()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path, group: g => g.MapGet("/", () => "a dashboard page"));
        using var client = AdminGateway.Client(gateway);

        using var api = await client.GetAsync("/admin/api/events", Ct);
        using var page = await client.GetAsync("/admin/", Ct);
        using var wrong = await AdminGateway.Client(gateway, "not-a-token-at-all-000").GetAsync("/admin/api/events", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/admin/login?ReturnUrl=", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task A_viewer_token_reads_and_is_forbidden_to_act_while_an_operator_token_acts()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var viewer = AdminGateway.Client(gateway, AdminGateway.ViewerToken);
        using var @operator = AdminGateway.Client(gateway, AdminGateway.OperatorToken);

        var me = await viewer.GetJsonAsync<MeJson>("/admin/api/me");
        using var read = await viewer.GetAsync("/admin/api/events", Ct);
        using var refused = await viewer.PostAsync("/admin/api/destinations/destination:crm/pause", null, Ct);
        using var acted = await @operator.PostAsync("/admin/api/destinations/destination:crm/pause", null, Ct);

        Assert.Equal(new MeJson("viewer", false, "tokens"), me);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, acted.StatusCode);
        var audit = await viewer.GetJsonAsync<PageJson<AuditJson>>("/admin/api/audit");
        var entry = Assert.Single(audit.Items);
        Assert.Equal(("operator@127.0.0.1", "pause", "destination:crm", 1L), (entry.Actor, entry.Action, entry.Target, entry.Count));
    }

    [Fact]
    public async Task The_login_link_sets_an_http_only_strict_session_cookie_that_reads_the_api()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var browser = AdminGateway.Client(gateway, cookies: true);

        using var login = await browser.GetAsync($"/admin/login?t={AdminGateway.ViewerToken}&ReturnUrl=/admin/events", Ct);
        using var read = await browser.GetAsync("/admin/api/events", Ct);
        using var badLogin = await AdminGateway.Client(gateway).GetAsync("/admin/login?t=wrong-token-0123456789", Ct);
        using var offSite = await AdminGateway.Client(gateway).GetAsync($"/admin/login?t={AdminGateway.ViewerToken}&ReturnUrl=//evil.example/", Ct);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/admin/events", login.Headers.Location!.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WabaHooksAdminSchemes.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AdminGateway.ViewerToken, cookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badLogin.StatusCode);
        Assert.DoesNotContain("wrong-token", await badLogin.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("/admin/", offSite.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_login_form_signs_in_with_its_antiforgery_field_and_refuses_a_post_without_it()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var browser = AdminGateway.Client(gateway, cookies: true);
        var form = await browser.GetStringAsync("/admin/login", Ct);
        var field = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        using var forged = await AdminGateway.Client(gateway).PostAsync("/admin/login", new FormUrlEncodedContent([new("token", AdminGateway.OperatorToken)]), Ct);
        using var signedIn = await browser.PostAsync("/admin/login", new FormUrlEncodedContent([new("token", AdminGateway.OperatorToken), new("__RequestVerificationToken", field)]), Ct);
        var me = await browser.GetJsonAsync<MeJson>("/admin/api/me");

        Assert.NotEmpty(field);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(new MeJson("operator", true, "tokens"), me);
    }

    [Fact]
    public async Task A_state_changing_call_with_the_cookie_and_no_antiforgery_token_is_refused()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var browser = AdminGateway.Client(gateway, cookies: true);
        (await browser.GetAsync($"/admin/login?t={AdminGateway.OperatorToken}", Ct)).Dispose();

        using var forged = await browser.PostAsync("/admin/api/destinations/destination:crm/pause", null, Ct);
        var antiforgery = await browser.GetJsonAsync<AntiforgeryJson>("/admin/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/destinations/destination:crm/pause");
        request.Headers.Add(antiforgery.HeaderName, antiforgery.Token);
        using var allowed = await browser.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var audit = await browser.GetJsonAsync<PageJson<AuditJson>>("/admin/api/audit");
        Assert.Equal(["pause"], audit.Items.Select(e => e.Action)); // The refused call did nothing.
    }

    [Fact]
    public async Task With_no_policy_the_admin_surface_admits_local_requests_only()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path, tokens: false, before: BehindAProxy);
        using var client = AdminGateway.Client(gateway);

        using var local = await client.GetAsync("/admin/api/events", Ct);
        using var localAct = await client.PostAsync("/admin/api/destinations/destination:crm/pause", null, Ct);
        using var remote = await client.SendAsync(FromAfar(HttpMethod.Get, "/admin/api/events"), Ct);
        using var remoteAct = await client.SendAsync(FromAfar(HttpMethod.Post, "/admin/api/destinations/destination:crm/resume"), Ct);
        using var remoteWithToken = await client.SendAsync(FromAfar(HttpMethod.Get, "/admin/api/events", AdminGateway.OperatorToken), Ct);

        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, localAct.StatusCode); // Local, but an ambient credential: antiforgery still applies.
        Assert.Equal(HttpStatusCode.Unauthorized, remote.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, remoteAct.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, remoteWithToken.StatusCode); // Tokens are not the rule here: only local requests are.
        var me = await client.GetJsonAsync<MeJson>("/admin/api/me");
        Assert.Equal(new MeJson(null, true, "local"), me);
    }

    [Fact]
    public async Task A_policy_of_the_application_on_the_group_replaces_the_local_only_default()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(
            dir.Path,
            tokens: false,
            hooks: b => b.Services.AddAuthorization(o => o.AddPolicy("from-partner", p => p.RequireAssertion(c =>
                c.Resource is Microsoft.AspNetCore.Http.HttpContext http && http.Request.Headers["X-Partner"] == "yes"))),
            before: BehindAProxy,
            group: g => g.RequireAuthorization("from-partner"));
        using var client = AdminGateway.Client(gateway);

        using var admitted = await client.SendAsync(FromAfar(HttpMethod.Get, "/admin/api/events", partner: true), Ct);
        using var acts = await client.SendAsync(FromAfar(HttpMethod.Post, "/admin/api/destinations/destination:crm/pause", AdminGateway.ViewerToken, partner: true), Ct);
        using var refused = await client.SendAsync(FromAfar(HttpMethod.Get, "/admin/api/events"), Ct);
        using var localRefused = await client.GetAsync("/admin/api/events", Ct);

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, acts.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, localRefused.StatusCode);
    }

    [Fact]
    public async Task The_callback_listener_routes_nothing_else_and_the_openapi_document_lists_the_admin_api()
    {
        using var dir = new TempDirectory();
        await using var gateway = await AdminGateway.StartAsync(dir.Path);
        using var client = AdminGateway.Client(gateway, AdminGateway.ViewerToken);

        var document = await client.GetStringAsync("/admin/openapi/v1.json", Ct);

        Assert.Contains("/admin/api/events", document, StringComparison.Ordinal);
        Assert.Contains("/admin/api/bulk/count", document, StringComparison.Ordinal);
        Assert.DoesNotContain("/webhook", document, StringComparison.Ordinal);
    }

    /// <summary>The application trusts the proxy on loopback to say where a request came from, as behind nginx.</summary>
    private static void BehindAProxy(WebApplication app)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
        options.KnownProxies.Add(IPAddress.Loopback);
        app.UseForwardedHeaders(options);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
    }

    /// <summary>A request that the proxy on loopback forwards from a client elsewhere (TEST-NET-3).</summary>
    private static HttpRequestMessage FromAfar(HttpMethod method, string path, string? token = null, bool partner = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (partner)
        {
            request.Headers.Add("X-Partner", "yes");
        }

        return request;
    }
}
