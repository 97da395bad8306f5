using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Admin;

public sealed class AdminTokenReloadTests
{
    private const string OldToken = "operator-token-before-the-change";
    private const string NewToken = "operator-token-after-the-change!";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_changed_in_configuration_is_used_at_once_and_ends_the_sessions_of_the_old_one()
    {
        using var dir = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["WabaHooks:VerifyToken"] = "verify",
            ["WabaHooks:AppSecrets:0"] = "app:0123456789abcdef0123456789abcdef",
            ["WabaHooks:Admin:OperatorToken"] = OldToken,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWabaHooks(configuration.GetSection("WabaHooks")).UseSqlite(dir.Path).AddAdmin();
        await using var app = builder.Build();
        app.MapWabaHooksAdmin("/admin").RequireAuthorization(WabaHooksAdminPolicies.Viewer);
        await app.StartAsync(Ct);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };
        (await browser.GetAsync($"/admin/login?t={OldToken}", Ct)).Dispose();
        using (var before = await browser.GetAsync("/admin/api/me", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        configuration["WabaHooks:Admin:OperatorToken"] = NewToken;
        configuration.Reload();

        using var session = await browser.GetAsync("/admin/api/me", Ct);
        using var oldBearer = await Send(browser, OldToken);
        using var newBearer = await Send(browser, NewToken);
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldBearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newBearer.StatusCode);
        await app.StopAsync(Ct);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, Ct);
    }
}
