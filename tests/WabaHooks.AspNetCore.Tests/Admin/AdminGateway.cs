using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WabaHooks.AspNetCore.Admin;
using WabaHooks.Hosting;
using WabaHooks.Testing;

namespace WabaHooks.AspNetCore.Tests.Admin;

/// <summary>
/// A gateway on real Kestrel and SQLite with the admin surface mapped at <c>/admin</c> beside the callback URL, as a
/// library user maps it; with the admin tokens and their policy unless a test asks for the local-only default.
/// </summary>
internal static class AdminGateway
{
    public const string ViewerToken = "viewer-token-0123456789abcdef";
    public const string OperatorToken = "operator-token-0123456789abcdef";
    public const string Prefix = "/admin";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<TestGateway> StartAsync(
        string dataDir,
        bool tokens = true,
        Action<WabaHooksBuilder>? hooks = null,
        TestClock? clock = null,
        Action<WebApplication>? before = null,
        Action<RouteGroupBuilder>? group = null) =>
        TestGateway.StartAsync(
            dataDir,
            configure: null,
            handlers: b =>
            {
                b.AddAdmin(o =>
                {
                    o.ViewerToken = ViewerToken;
                    o.OperatorToken = OperatorToken;
                });
                hooks?.Invoke(b);
            },
            clock: clock,
            map: app =>
            {
                before?.Invoke(app);
                var admin = app.MapWabaHooksAdmin(Prefix);
                if (tokens)
                {
                    admin.RequireAuthorization(WabaHooksAdminPolicies.Viewer);
                }

                group?.Invoke(admin);
            });

    /// <summary>A client of the gateway that sends <paramref name="token"/> as a bearer token, or none.</summary>
    public static HttpClient Client(TestGateway gateway, string? token = null, bool cookies = false)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = gateway.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<T> GetJsonAsync<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<(int Status, T? Body)> PostJsonAsync<T>(this HttpClient client, string path, object? body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Json, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, response.IsSuccessStatusCode && text.Length > 0 ? JsonSerializer.Deserialize<T>(text, Json) : default);
    }

    /// <summary>Waits until the processor has committed <paramref name="count"/> deliveries.</summary>
    public static Task ProcessedAsync(TestGateway gateway, int count) =>
        Await.UntilAsync(async () => await gateway.ProcessedCountAsync() >= count, $"{count} deliveries processed");
}
